from django.core.management.base import BaseCommand

from routes.seed import load_izmir


class Command(BaseCommand):
    help = "Load (or refresh) the İzmir sites and both IzMiras routes from fixtures/izmir/."

    def handle(self, *args, **options):
        report = load_izmir()
        verdict = "changed" if report.changed else "already up to date"
        self.stdout.write(
            self.style.SUCCESS(
                f"İzmir data {verdict}: {report.sites} sites ({report.sites_changed} written), "
                f"{report.routes} routes ({report.routes_changed} written, "
                f"{report.stops_changed} with new stops)."
            )
        )
