"""Visit facts from fixtures/izmir/enrichment.csv: addresses, Pleiades ids,
opening hours, accessibility and access notes, each with its source.

enrichment.csv has one row per researched value (slug, field, value, source,
note). Every row goes into the site's `provenance`, conflicting and
alternative ones included, so nothing researched is hidden. The fields a
tourist screen reads are filled from it as well: the first `address`, a
`pleiades` id where the site has none, `access_note` (English, as found),
and opening hours and accessibility as the project reads them in
visit_facts.json (the CSV's wording is prose; OSM syntax and true/false/null
flags are an editorial reading, kept next to it). A fact the data does not
have stays empty, which the API says as "unknown".
"""

import csv
import json
from collections import defaultdict
from datetime import date
from pathlib import Path

# Fields of enrichment.csv that set a site field directly (the rest are
# provenance only: alternatives, broader/related identifiers).
DIRECT_FIELDS = ("address", "pleiades")


def _rows(seed_dir: Path) -> list[dict]:
    path = seed_dir / "enrichment.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _sources(rows: list[dict], field_prefix: str) -> str:
    found = [row["source"] for row in rows if row["field"].startswith(field_prefix)]
    return "; ".join(dict.fromkeys(found))[:500]


def visit_facts(seed_dir: Path, *, existing_pleiades: dict[str, str]) -> dict[str, dict]:
    """slug -> site_upsert keyword arguments for the visit facts of that site."""
    readings = json.loads((seed_dir / "visit_facts.json").read_text(encoding="utf-8"))
    by_site: dict[str, list[dict]] = defaultdict(list)
    for row in _rows(seed_dir):
        by_site[row["slug"]].append(row)
    facts: dict[str, dict] = {}
    for slug, rows in by_site.items():
        fields: dict = {
            "provenance": [{key: row[key] for key in ("field", "value", "source", "note")} for row in rows]
        }
        for row in rows:
            if row["field"] in DIRECT_FIELDS and row["field"] not in fields:
                fields[row["field"]] = row["value"]
        if existing_pleiades.get(slug):
            fields.pop("pleiades", None)  # sites.csv already names it
        notes = [row["value"] for row in rows if row["field"] == "access_note"]
        if notes:
            fields["access_note"] = {"en": " ".join(notes)}
        fields.update(_opening_hours(slug, rows, readings["opening_hours"]))
        fields.update(_accessibility(slug, rows, readings["accessibility"]))
        facts[slug] = fields
    return facts


def _opening_hours(slug: str, rows: list[dict], readings: dict) -> dict:
    reading = readings.get(slug)
    if reading is None:
        return {}
    return {
        "opening_hours": reading["value"],
        "opening_hours_source": _sources(rows, "opening_hours"),
        "opening_hours_as_of": _date(reading.get("as_of")),
    }


def _accessibility(slug: str, rows: list[dict], readings: dict) -> dict:
    reading = readings.get(slug)
    if reading is None:
        return {}
    flags = {key: value for key, value in reading.items() if key != "as_of"}
    notes = " ".join(row["value"] for row in rows if row["field"] == "accessibility")
    return {
        "accessibility": {**flags, "notes": notes},
        "accessibility_source": _sources(rows, "accessibility"),
        "accessibility_as_of": _date(reading.get("as_of")),
    }
