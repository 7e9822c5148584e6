"""GPX 1.1 exports: sites or stops as `wpt`, a route's path as `trk`.

Rows are plain dicts; `title`, `description_text` (sites) and `title`,
`summary_text` (routes) come already in one language from the caller.

Valid against the GPX 1.1 schema (element order matters there: metadata,
wpt, rte, trk). Project fields that GPX has no element for (slug, kind,
years, periods) go in `extensions` under our own namespace, which the
schema accepts with lax processing and which import_geodata reads back.
"""

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from geodata.exports.metadata import ExportMetadata
from geodata.exports.streaming import text_batches

MEDIA_TYPE = "application/gpx+xml"
EXTENSION = "gpx"
GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1"
HERITAGE_NAMESPACE = "https://izmir-heritage.example/ns/gpx/1"
CREATOR = "İzmir heritage routes (https://izmir-heritage.example)"
EXTENSION_FIELDS = (
    "slug",
    "name_tr",
    "name_en",
    "name_de",
    "kind",
    "periods",
    "start_year",
    "end_year",
    "confidence",
    "wikidata",
    "pleiades",
    "stop_order",
    "designation",
    "dwell_min",
    "trigger_radius_m",
)
BATCH_ROWS = 500


def _text(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>" if value not in (None, "") else ""


def describe(row: dict) -> str:
    """A one-paragraph description: the text, then dates and sources.
    `description_text` is the description in one language, picked by the
    caller (geodata knows no language fallback)."""
    parts = [row.get("description_text") or ""]
    if row.get("start_year") is not None:
        end = row.get("end_year")
        parts.append(f"Years: {row['start_year']} to {end if end is not None else 'today'} (BCE negative).")
    if row.get("sources"):
        parts.append(f"Sources: {row['sources']}.")
    if row.get("attribution"):
        parts.append(f"Attribution: {row['attribution']}.")
    return " ".join(part for part in parts if part)


def _metadata(metadata: ExportMetadata) -> str:
    return (
        "<metadata>"
        + _text("name", metadata.title)
        + _text("desc", f"{metadata.citation} Attribution: {metadata.attribution}.")
        + f"<author>{_text('name', 'İzmir heritage routes project')}</author>"
        + f"<copyright author={quoteattr(metadata.attribution)}>"
        + _text("year", metadata.year)
        + _text("license", metadata.license_url)
        + "</copyright>"
        + _text("time", metadata.generated_at)
        + _text("keywords", f"heritage, İzmir, data version {metadata.data_version}")
        + "</metadata>"
    )


def waypoint(row: dict) -> str:
    link = (
        f'<link href="http://www.wikidata.org/entity/{escape(row["wikidata"])}"/>'
        if row.get("wikidata")
        else ""
    )
    extensions = "".join(_text(f"h:{name}", row.get(name)) for name in EXTENSION_FIELDS)
    return (
        f'<wpt lat="{row["lat"]}" lon="{row["lon"]}">'
        + _text("name", row["title"])
        + _text("desc", describe(row))
        + _text("src", row.get("sources"))
        + link
        + _text("type", row.get("kind"))
        + (f"<extensions>{extensions}</extensions>" if extensions else "")
        + "</wpt>\n"
    )


def track(route: dict) -> str:
    """A route's path as one trk, one trkseg per LineString part."""
    geometry = route["path_geojson"]
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    segments = "".join(
        "<trkseg>" + "".join(f'<trkpt lat="{lat}" lon="{lon}"/>' for lon, lat, *_ in part) + "</trkseg>"
        for part in parts
    )
    name = route["name"] or {}
    return (
        "<trk>"
        + _text("name", route["title"])
        + _text("desc", route.get("summary_text"))
        + _text("src", route.get("attribution"))
        + _text("type", "route")
        + "<extensions>"
        + _text("h:slug", route["slug"])
        + "".join(_text(f"h:name_{code}", name.get(code)) for code in ("tr", "en", "de"))
        + "</extensions>"
        + segments
        + "</trk>\n"
    )


def gpx_chunks(
    waypoints: Iterable[dict], *, metadata: ExportMetadata, routes: Iterable[dict] = ()
) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator={quoteattr(CREATOR)} xmlns="{GPX_NAMESPACE}" '
        f'xmlns:h="{HERITAGE_NAMESPACE}">\n' + _metadata(metadata) + "\n"
    )
    yield from text_batches(map(waypoint, waypoints), size=BATCH_ROWS)
    for route in routes:
        yield track(route)
    yield "</gpx>\n"
