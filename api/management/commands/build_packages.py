"""manage.py build_packages: build every published route's offline package
in every language now, so no tourist waits for the first build."""

from django.core.management.base import BaseCommand

from api.v1.packages import route_package
from editorial.content_version import content_version
from editorial.translations import language_codes
from routes.selectors import published_routes


class Command(BaseCommand):
    help = "Build the offline package of every published route in every language (kept in var/packages)."

    def handle(self, *args, **options):
        version = content_version()
        for slug in published_routes().order_by("slug").values_list("slug", flat=True):
            for language in language_codes():
                package = route_package(slug, language, version)
                self.stdout.write(f"{slug} {language}: {package.bytes:,} bytes, {package.path.name}")
        self.stdout.write(self.style.SUCCESS(f"Packages are current for data version {version}."))
