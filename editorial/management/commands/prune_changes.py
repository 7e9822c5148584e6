"""Trim the change feed's history (docs/adr/0012-change-feed-and-route-packages.md).

    manage.py prune_changes                # keep HERITAGE_CHANGE_LOG_RETENTION_DAYS (90)
    manage.py prune_changes --days 30 --batch 10000

Run it daily (cron or a systemd timer, see the README's "Scheduled jobs").
A cursor older than the kept history answers 410 Gone from then on (the app
downloads its route package again); every younger cursor reads exactly what
it would have read with nothing pruned. Deletes in batches, each its own
short transaction, so it can run beside live traffic.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial import change_log


class Command(BaseCommand):
    help = "Delete change-feed history older than the retention (HERITAGE_CHANGE_LOG_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.HERITAGE_CHANGE_LOG_RETENTION_DAYS,
            help="Keep this many days of history (default: HERITAGE_CHANGE_LOG_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--batch", type=int, default=change_log.PRUNE_BATCH, help="Rows deleted per transaction."
        )

    def handle(self, *args, days: int, batch: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1: cursors handed out today must keep working.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        deleted = change_log.prune(older_than_days=days, batch=batch)
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {deleted:,} change-log rows older than {days} days.")
            if deleted
            else f"Nothing older than {days} days in the change log."
        )
