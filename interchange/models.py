"""Numbered, citable releases of the published data (interchange/releases/).

A row is written only once a release's files are complete and in place, so
a row always names a whole release; the table refuses updates (a trigger,
migration 0001), because a cited release must never change.
"""

from django.db import models


class Release(models.Model):
    version = models.CharField(max_length=7, unique=True)  # YYYY.MM
    released_at = models.DateTimeField()
    previous = models.CharField(max_length=7, blank=True)  # the release the changes are counted from
    site_count = models.PositiveIntegerField()
    route_count = models.PositiveIntegerField()
    added = models.PositiveIntegerField()
    changed = models.PositiveIntegerField()
    withdrawn = models.PositiveIntegerField()
    # [{"name", "bytes", "sha256", "media_type", "title"}], in the release's order.
    files = models.JSONField()
    citation = models.TextField()

    class Meta:
        ordering = ["-version"]  # YYYY.MM sorts as text

    def __str__(self):
        return self.version

    def file(self, name: str) -> dict | None:
        """The entry of the file called exactly `name`, else None."""
        return next((entry for entry in self.files if entry["name"] == name), None)
