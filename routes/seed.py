"""Load the İzmir seed data (fixtures/izmir/) through the normal services.

Idempotent: services save only what differs, so a second load changes
nothing. See fixtures/izmir/README.md for the editorial choices.
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction

from editorial.vocabularies import Confidence, GeometryQuality, Kind, Status
from routes.estimates import route_estimated_duration_min
from routes.models import Mode, RouteDesignation, Theme
from routes.services import StopSpec, route_set_stops, route_upsert
from sites.services import period_vocabulary_sync, site_upsert
from sites.visit_facts import visit_facts

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "izmir"

ROUTES = {
    # slug: (CSV column prefix, paths.geojson feature name prefix, status, designation, theme, modes)
    # 8500 Years was announced with its official stops (the proposed ones say
    # so per stop); Waterways has no official stop list yet, so the whole
    # route is public as "proposed, in development" (fixtures/izmir/README.md).
    "8500-years-in-one-day": (
        "8500",
        "8500 Years in One Day – official stops plus proposed",
        Status.PUBLISHED,
        RouteDesignation.OFFICIAL,
        Theme.HISTORY,
        [Mode.BUS, Mode.WALK],
    ),
    "izmir-historical-waterways": (
        "waterways",
        "İzmir Historical Waterways",
        Status.PUBLISHED,
        RouteDesignation.PROPOSED,
        Theme.WATER,
        [Mode.WALK, Mode.BUS],
    ),
}

DWELL_MIN_BY_KIND = {Kind.MUSEUM: 60, Kind.ARCHAEOLOGICAL_SITE: 45, Kind.MOUND: 30, Kind.BAZAAR: 60}
OTHER_SOURCE_ATTRIBUTION = {
    "hisar-mosque": "Coordinates: Wikipedia (tr), Hisar Camii",
    "konak-yali-mosque": "Coordinates: Wikipedia (tr), Konak Yalı Camii",
    "diana-baths-halkapinar": "Coordinates: canakkalebienali.com, Diana Hamamları",
}


@dataclass
class SeedReport:
    sites_created: int = 0
    sites_changed: int = 0
    routes_changed: int = 0
    stops_changed: int = 0
    sites: int = 0
    routes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.sites_changed or self.routes_changed or self.stops_changed)


def _read_rows(seed_dir: Path) -> list[dict]:
    with (seed_dir / "sites.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _year(value: str) -> int | None:
    return int(value) if value.strip() else None


def _attribution(row: dict) -> str:
    if row["slug"] in OTHER_SOURCE_ATTRIBUTION:
        return OTHER_SOURCE_ATTRIBUTION[row["slug"]]
    return settings.HERITAGE_DATA_ATTRIBUTION


def _texts(descriptions: dict, slug: str, row: dict) -> tuple[dict, dict]:
    entry = descriptions.get("sites", {}).get(slug, {})
    name = {"tr": row["name_tr"], "en": row["name_en"], **entry.get("name", {})}
    return {k: v for k, v in name.items() if v}, entry.get("description", {})


def _paths(seed_dir: Path) -> dict[str, dict]:
    collection = json.loads((seed_dir / "paths.geojson").read_text(encoding="utf-8"))
    return {feature["properties"]["name"]: feature for feature in collection["features"]}


def _feature_named(paths: dict[str, dict], prefix: str) -> dict:
    return next(feature for name, feature in paths.items() if name.startswith(prefix))


def _site_fields(row: dict, descriptions: dict, paths: dict) -> dict:
    name, description = _texts(descriptions, row["slug"], row)
    fields = {
        "name": name,
        "description": description,
        "kind": row["kind"],
        "start_year": _year(row["start_year"]),
        "end_year": _year(row["end_year"]),
        "location": Point(float(row["lon"]), float(row["lat"]), srid=4326),
        "geometry_quality": GeometryQuality.TRACED,
        "confidence": row["confidence"] or Confidence.MEDIUM,
        "district": row["district"],
        "wikidata": row["wikidata"],
        "pleiades": row["pleiades"],
        "sources": [part.strip() for part in row["source"].split(";") if part.strip()],
        "license": settings.HERITAGE_DATA_LICENSE,
        "attribution": _attribution(row),
    }
    if row["kind"] == Kind.RIVER:
        # The stream's only line is a two-anchor schematic segment.
        segment = _feature_named(paths, "Melez")
        fields["shape"] = GEOSGeometry(json.dumps(segment["geometry"]), srid=4326)
        fields["geometry_quality"] = GeometryQuality.SCHEMATIC
    return fields


def _stops(rows: list[dict], column: str, descriptions: dict, route_slug: str) -> list[StopSpec]:
    narratives = descriptions.get("stops", {}).get(route_slug, {})
    members = [
        row for row in rows if row[f"route_{column}"] in ("official", "proposed") and row[f"order_{column}"]
    ]
    members.sort(key=lambda row: int(row[f"order_{column}"]))
    return [
        StopSpec(
            site_slug=row["slug"],
            designation=row[f"route_{column}"],
            dwell_min=DWELL_MIN_BY_KIND.get(row["kind"], 15),
            narrative=narratives.get(row["slug"]),
        )
        for row in members
    ]


@transaction.atomic
def load_izmir(seed_dir: Path = SEED_DIR) -> SeedReport:
    """Upsert the 42 sites and both routes with their stops."""
    report = SeedReport()
    period_vocabulary_sync()
    rows = _read_rows(seed_dir)
    descriptions_file = seed_dir / "descriptions.json"
    descriptions = (
        json.loads(descriptions_file.read_text(encoding="utf-8")) if descriptions_file.exists() else {}
    )
    paths = _paths(seed_dir)
    facts = visit_facts(seed_dir, existing_pleiades={row["slug"]: row["pleiades"] for row in rows})

    for row in rows:
        _site, changed = site_upsert(
            slug=row["slug"],
            periods=[p for p in row["periods"].split(";") if p],
            status=Status.PUBLISHED,
            **{**_site_fields(row, descriptions, paths), **facts.get(row["slug"], {})},
        )
        report.sites += 1
        report.sites_changed += int(changed)

    for slug, (column, path_name, status, designation, theme, modes) in ROUTES.items():
        texts = descriptions.get("routes", {}).get(slug, {})
        path_feature = _feature_named(paths, path_name)
        route, changed = route_upsert(
            slug=slug,
            status=status,
            name=texts.get("name") or {"en": path_feature["properties"]["name"]},
            summary=texts.get("summary", {}),
            description=texts.get("description", {}),
            theme=theme,
            designation=designation,
            modes=list(modes),
            path=GEOSGeometry(json.dumps(path_feature["geometry"]), srid=4326),
            path_quality=GeometryQuality.SCHEMATIC,
            license=settings.HERITAGE_DATA_LICENSE,
            attribution=settings.HERITAGE_DATA_ATTRIBUTION,
        )
        report.routes += 1
        report.routes_changed += int(changed)
        stops = _stops(rows, column, descriptions, slug)
        report.stops_changed += int(route_set_stops(route=route, stops=stops))
        # The seed's durations are estimates: moving time by main mode + dwell.
        _route, estimate_changed = route_upsert(slug=slug, duration_min=route_estimated_duration_min(route))
        report.routes_changed += int(estimate_changed and not changed)
    return report
