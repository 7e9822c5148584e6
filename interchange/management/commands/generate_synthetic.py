"""manage.py generate_synthetic: the seeded benchmark data set (interchange/synthetic.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from interchange.synthetic import generate


class Command(BaseCommand):
    help = "Generate seeded synthetic sites and routes around İzmir for benchmarks (replaces earlier ones)."

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=100_000)
        parser.add_argument("--routes", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="Run even if the database name does not contain 'bench'.",
        )

    def handle(self, *args, sites, routes, seed, allow_any_database, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not allow_any_database:
            msg = f"Refusing to fill {name!r} with synthetic data: use PGDATABASE=heritage_bench."
            raise CommandError(msg)
        if sites < 1 or routes < 0:
            msg = "--sites must be at least 1 and --routes at least 0."
            raise CommandError(msg)
        report = generate(sites=sites, routes=routes, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: {report.sites} sites, {report.routes} routes ({report.stops} stops, "
                f"up to {report.max_vertices} vertices) with seed {seed}."
            )
        )
