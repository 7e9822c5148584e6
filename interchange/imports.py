"""Imports: read a file (geodata's readers), map its rows to the domain
(records.py) and load them through the normal services, all or nothing.

Every row is tried (each in its own savepoint) so the report lists every bad
row with its number; if any row is bad, or on a dry run, the whole
transaction is rolled back and nothing is imported. Rows upsert by slug;
a row without one matches an existing site by Wikidata, Pleiades or OSM id,
else gets a slug made from its name. site_upsert/route_upsert save only what
differs, so importing the same file twice changes nothing the second time.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from editorial.translations import fold
from editorial.vocabularies import Kind
from geodata.imports.readers import read_records as read_rows
from interchange.records import EXTERNAL_IDS, KEEP_NARRATIVE, Record, record_from_row
from routes.models import Route
from routes.services import route_set_stops, route_upsert
from sites.models import Site
from sites.services import site_upsert

# What a new row gets when the file says nothing (GPX has no kind, no
# transport mode); an existing row keeps what it has.
NEW_SITE_DEFAULTS = {"kind": Kind.OTHER}
NEW_ROUTE_DEFAULTS = {"modes": ["walk"]}


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)  # ("site", "created") -> n
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, message)
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)  # (row, kind, slug, outcome)
    dry_run: bool = False

    @property
    def imported(self) -> bool:
        return not self.errors and not self.dry_run

    def summary(self) -> str:
        parts = [
            f"{kind}s: {self.counts[(kind, 'created')]} new, {self.counts[(kind, 'updated')]} changed, "
            f"{self.counts[(kind, 'unchanged')]} unchanged"
            for kind in ("site", "route")
        ]
        return "; ".join(parts)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, items in error.message_dict.items() for message in items]
    return list(error.messages)


def _resolve_slug(record: Record) -> str:
    if record.slug:
        return record.slug
    if record.kind == "site":
        for name in EXTERNAL_IDS:
            value = record.fields.get(name)
            if value:
                found = Site.objects.filter(**{name: value}).values_list("slug", flat=True).first()
                if found:
                    return found
    return slugify(fold(record.title))[:120].strip("-")


def _upsert(record: Record, slugs_by_row: dict[int, str]) -> str:
    """Write one record; returns "created", "updated" or "unchanged"."""
    model = Site if record.kind == "site" else Route
    existing = model.objects.filter(slug=record.slug).values("pk", *record.partial).first()
    existed = existing is not None
    if existed:
        _merge_translations(record, existing)
    if record.kind == "site":
        fields = record.fields if existed else {**NEW_SITE_DEFAULTS, **record.fields}
        _site, changed = site_upsert(slug=record.slug, periods=record.periods, status=record.status, **fields)
    else:
        fields = record.fields if existed else {**NEW_ROUTE_DEFAULTS, **record.fields}
        route, changed = route_upsert(slug=record.slug, status=record.status, **fields)
        if record.stops is not None:
            stops = _stops(route, record.stops, slugs_by_row)
            changed = route_set_stops(route=route, stops=stops) or changed
    if not existed:
        return "created"
    return "updated" if changed else "unchanged"


def _merge_translations(record: Record, existing: dict) -> None:
    """Languages the file does not cover keep their stored text."""
    for key, covered in record.partial.items():
        kept = {code: text for code, text in (existing.get(key) or {}).items() if code not in covered}
        record.fields[key] = {**kept, **record.fields[key]}


def _stops(route: Route, specs, slugs_by_row: dict[int, str]) -> list:
    """Stop specs with row references resolved and kept narratives filled in."""
    stored = {stop.site.slug: stop.narrative for stop in route.stops.select_related("site")}
    resolved = []
    for spec in specs:
        slug = _stop_slug(spec.site_slug, slugs_by_row)
        narrative = stored.get(slug) if spec.narrative is KEEP_NARRATIVE else spec.narrative
        resolved.append(replace(spec, site_slug=slug, narrative=narrative))
    return resolved


def _stop_slug(reference: str, slugs_by_row: dict[int, str]) -> str:
    if reference.startswith("@row:"):
        return slugs_by_row.get(int(reference[5:]), reference)
    return reference


def read_records(
    path: Path, *, fmt: str | None = None, srid: int | None = None, language: str, default_status: str
) -> list[Record]:
    """Every record of the file at `path` (geodata's readers), mapped to the
    domain; raises geodata.imports.readers.ImportFileError."""
    rows = read_rows(path, fmt=fmt, srid=srid, language=language)
    return [record_from_row(raw, language=language, default_status=default_status) for raw in rows]


def import_records(
    records: Sequence[Record], *, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Upsert `records` (sites first, then routes, whose stops need them)."""
    report = ImportReport(dry_run=dry_run)
    ordered = sorted(records, key=lambda record: (record.kind != "site", record.row))
    seen: dict[tuple[str, str], int] = {}
    slugs_by_row: dict[int, str] = {}
    with transaction.atomic():
        for done, record in enumerate(ordered, start=1):
            _load_one(record, report, seen, slugs_by_row)
            if progress:
                progress(done, len(ordered))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.errors.sort()
    return report


def _load_one(record: Record, report: ImportReport, seen: dict, slugs_by_row: dict[int, str]) -> None:
    errors = list(record.errors)
    record.slug = _resolve_slug(record) if not errors or record.slug else record.slug
    if not record.slug and not errors:
        errors.append("slug: no slug, external id or name to make one from.")
    key = (record.kind, record.slug)
    if record.slug and key in seen:
        errors.append(f"slug: {record.slug!r} is also on row {seen[key]}.")
    seen.setdefault(key, record.row)
    slugs_by_row[record.row] = record.slug
    if not errors:
        try:
            with transaction.atomic():
                outcome = _upsert(record, slugs_by_row)
            report.counts[(record.kind, outcome)] += 1
            if outcome != "unchanged":
                report.changes.append((record.row, record.kind, record.slug, outcome))
        except ValidationError as error:
            errors.extend(_messages(error))
        except DatabaseError as error:
            errors.append(f"database: {error}".strip())
    report.errors.extend((record.row, message) for message in errors)
