from django.db import models


class RateCounter(models.Model):
    """One abuse limit's count for one client (api/throttling.py): hits in
    the current fixed window of the limit's period and in the one before,
    which together estimate the sliding window. O(1) per client whatever
    the rate, where a log of timestamps grew with it (600 a minute)."""

    key = models.TextField(primary_key=True)  # "scope:client"
    window_no = models.BigIntegerField()  # floor(epoch seconds / period)
    hits = models.IntegerField()
    previous_hits = models.IntegerField()
    # Epoch seconds after which the row says nothing (two windows on): pruned.
    expires = models.FloatField(db_index=True)

    class Meta:
        db_table = "heritage_rate_counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} in window {self.window_no}"
