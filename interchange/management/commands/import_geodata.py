"""manage.py import_geodata FILE: sites and routes from GeoJSON, CSV, GPX,
KML/KMZ, GeoPackage or a zipped Shapefile.

    manage.py import_geodata survey.gpkg --dry-run
    manage.py import_geodata points.csv --srid 32635 --status draft

One transaction: every bad row is listed with its number and nothing is
imported if any row is bad. Upserts by slug (or external id), so importing
the same file again changes nothing. Hostile files are refused (see
geodata/imports/xmlsafe.py and archives.py).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from editorial.vocabularies import Status
from geodata.imports.readers import FORMATS_BY_SUFFIX, ImportFileError
from interchange.imports import import_records, read_records

PROGRESS_FROM_ROWS = 1000
LIST_ROWS = 50
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import sites and routes from a GeoJSON, CSV, GPX, KML/KMZ, GeoPackage or zipped Shapefile."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A local file.")
        parser.add_argument(
            "--format", choices=sorted(set(FORMATS_BY_SUFFIX.values())), help="Default: by suffix."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )
        parser.add_argument(
            "--srid", type=int, help="CRS of CSV coordinates or of a GeoJSON without crs (EPSG)."
        )
        parser.add_argument(
            "--status",
            default=Status.DRAFT,
            choices=Status.values,
            help="Status of new rows that carry none (default draft).",
        )
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, help="Language of plain-text names."
        )
        parser.add_argument("--progress", action="store_true", help="Always show the progress bar.")

    def handle(self, *args, **options):
        # Messages for the operator's terminal, in English whatever the site language.
        with translation.override("en"):
            self._import(**options)

    def _import(self, *, path, format, dry_run, srid, status, language, progress, **options):
        try:
            records = read_records(
                Path(path), fmt=format, srid=srid, language=language, default_status=status
            )
        except ImportFileError as error:
            msg = f"Cannot import {path}: {error}"
            raise CommandError(msg) from error
        show = progress or len(records) >= PROGRESS_FROM_ROWS
        report = import_records(records, dry_run=dry_run, progress=self._bar if show else None)
        if show:
            self.stderr.write("")
        for row, message in report.errors:
            self.stderr.write(self.style.ERROR(f"row {row}: {message}"))
        if report.errors:
            msg = f"{len(report.errors)} problem(s) in {path}; nothing was imported."
            raise CommandError(msg)
        # What would change (dry run) or changed (-v 2), row by row; a dry
        # run at the default verbosity lists the first LIST_ROWS only.
        verbose = options["verbosity"] >= 2
        if dry_run or verbose:
            shown = report.changes if verbose else report.changes[:LIST_ROWS]
            for row, kind, slug, outcome in shown:
                label = {"created": "new", "updated": "changed"}[outcome]
                self.stdout.write(f"  row {row}: {label} {kind} {slug}")
            if len(shown) < len(report.changes):
                self.stdout.write(f"  … and {len(report.changes) - len(shown)} more (-v 2 lists them all)")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {path}: {report.summary()}."))

    def _bar(self, done: int, total: int) -> None:
        if done != total and done % max(total // 200, 1):
            return
        filled = BAR_WIDTH * done // total
        self.stderr.write(f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
