"""Raw import rows: what a reader found in one row of a file, before any
domain meaning is given to it (interchange/records.py does that)."""

from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry


@dataclass
class RawRecord:
    """One row of a file: a site or a route (by the file's structure), its
    properties as plain values and its geometry in WGS84."""

    row: int
    kind: str  # "site" or "route"
    props: dict
    geometry: GEOSGeometry | None
    errors: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return str(self.props.get("slug") or "").strip()


def site_row(row: int, props: dict, geometry: GEOSGeometry | None) -> RawRecord:
    return RawRecord(row, "site", props, geometry)


def route_row(row: int, props: dict, geometry: GEOSGeometry | None) -> RawRecord:
    return RawRecord(row, "route", props, geometry)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


def row_reference(record: RawRecord) -> str:
    """A stop's site: its slug, or "@row:N" for a site whose slug is only
    known once the loader has matched or made it (interchange/imports.py)."""
    return record.slug or f"@row:{record.row}"


def stop_reference(record: RawRecord, props: dict) -> dict:
    """A stop as the route's `stops` item, from its site row's stop columns."""
    stop = {"site": row_reference(record)}
    for name in ("designation", "dwell_min", "trigger_radius_m"):
        if props.get(name):
            stop[name] = props[name]
    return stop
