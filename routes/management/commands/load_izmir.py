from django.core.management.base import BaseCommand

from routes.seed import load_izmir
from sites.kept_features import keep_site_features


class Command(BaseCommand):
    help = "Load (or refresh) the İzmir sites and both IzMiras routes from fixtures/izmir/."

    def handle(self, *args, **options):
        report = load_izmir()
        # Saved sites are kept after commit already; this catches texts an
        # earlier version of the code built (the `make run` of a new deploy).
        keep_site_features()
        verdict = "changed" if report.changed else "already up to date"
        self.stdout.write(
            self.style.SUCCESS(
                f"İzmir data {verdict}: {report.sites} sites ({report.sites_changed} written), "
                f"{report.routes} routes ({report.routes_changed} written, "
                f"{report.stops_changed} with new stops)."
            )
        )
