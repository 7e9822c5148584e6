"""manage.py export_geodata: the API's exports from the command line.

    manage.py export_geodata sites --format gpkg --kind mosque,church -o mosques.gpkg
    manage.py export_geodata route 8500-years-in-one-day --format gpx -o route.gpx

Same formats, filters and bytes as GET /api/v1/export/... (both call
interchange/exports.py). Published content only unless --include-drafts.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geodata.params import FilterError
from interchange.exports import FORMATS, route_export, sites_export
from interchange.filters import parse_site_filters
from routes.selectors_export import route_export_queryset
from sites.models import Period


class Command(BaseCommand):
    help = "Export sites or one route as geojson, csv, gpkg, kml, gpx or lpf."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["sites", "route"])
        parser.add_argument("slug", nargs="?", help="The route's slug (with `route`).")
        parser.add_argument("--format", default="geojson", choices=sorted(FORMATS))
        parser.add_argument("-o", "--output", help="File to write; default: standard output.")
        parser.add_argument("--bbox", help="min_lon,min_lat,max_lon,max_lat")
        parser.add_argument("--kind", help="Site kinds, comma-separated.")
        parser.add_argument("--period", help="Period codes, comma-separated.")
        parser.add_argument("--route", help="Only the stops of this route (sites export).")
        parser.add_argument("--datetime", help="Years overlapping e.g. -0546/-0334 or 1400/..")
        parser.add_argument(
            "--include-drafts", action="store_true", help="Drafts and reviews too (staff data)."
        )
        parser.add_argument(
            "--base-uri", default=settings.HERITAGE_PUBLIC_URL, help="Public URL of the service."
        )

    def handle(self, *args, what, slug, format, output, include_drafts, base_uri, **options):
        base = base_uri.rstrip("/") + "/ogc/collections/sites/items/"
        if what == "route":
            if not slug:
                msg = "Give the route's slug: export_geodata route SLUG."
                raise CommandError(msg)
            route = route_export_queryset(include_drafts=include_drafts).filter(slug=slug).first()
            if route is None:
                msg = f"No route {slug!r}" + ("" if include_drafts else " among published routes") + "."
                raise CommandError(msg)
            export = route_export(format, route=route, include_drafts=include_drafts, base_uri=base)
        else:
            params = {
                name: options[name]
                for name in ("bbox", "kind", "period", "route", "datetime")
                if options[name]
            }
            try:
                filters = parse_site_filters(
                    params, periods_known=set(Period.objects.values_list("code", flat=True))
                )
            except FilterError as error:
                msg = f"--{error.parameter}: {error.message}"
                raise CommandError(msg) from error
            export = sites_export(format, filters=filters, include_drafts=include_drafts, base_uri=base)
        written = self._write(export.chunks, output)
        if output:
            self.stderr.write(self.style.SUCCESS(f"Wrote {written} bytes to {output} ({export.filename})."))

    def _write(self, chunks, output) -> int:
        handle = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115 (stdout is not closed)
        written = 0
        try:
            for chunk in chunks:
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                handle.write(data)
                written += len(data)
        finally:
            if output:
                handle.close()
            else:
                handle.flush()
        return written
