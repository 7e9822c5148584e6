"""Build the kept OGC feature text of every published site that lacks a
current one: after a bulk write outside the ORM, or a deploy that changed
the feature's SQL (every text is then a miss until rebuilt)."""

import time

from django.core.management.base import BaseCommand

from sites.kept_features import keep_site_features


class Command(BaseCommand):
    help = "Build the missing or stale kept OGC feature texts of published sites."

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = keep_site_features()
        self.stdout.write(f"kept {written} feature texts in {time.perf_counter() - started:.1f} s")
