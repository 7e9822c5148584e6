"""manage.py release 2026.12: freeze the published data as a numbered,
citable release in HERITAGE_RELEASES_DIR/2026.12/ (interchange/releases/).

A second `release 2026.12` is refused: a release never changes.
"""

from django.core.management.base import BaseCommand, CommandError

from interchange.releases.build import build_release, releases_root
from interchange.releases.versions import ReleaseError


class Command(BaseCommand):
    help = "Freeze the published sites and routes as release VERSION (YYYY.MM), immutable."

    def add_arguments(self, parser):
        parser.add_argument("version", help="YYYY.MM, e.g. 2026.12; newer than the latest release.")
        parser.add_argument("--progress", action="store_true", help="Name each file as it is written.")

    def handle(self, *args, version, progress, **options):
        def report(name: str) -> None:
            if progress:
                self.stderr.write(f"wrote {name}")
                self.stderr.flush()

        try:
            release = build_release(version, progress=report)
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.version}: {release.site_count} sites, {release.route_count} routes, "
                f"{len(release.files)} files in {releases_root() / release.version} "
                f"(since {release.previous or 'nothing'}: {release.added} added, {release.changed} changed, "
                f"{release.withdrawn} withdrawn)."
            )
        )
