"""The abuse limits' own counters (api.models.RateCounter) replace the
database cache table of 0001: one upsert a request instead of a cache get
and set (four statements in a transaction) over a pickled log that grew with
the rate. The old table is dropped; its counts were a minute old at most.

UNLOGGED: no WAL for a write on every heavy request (0.59 → 0.32 ms an
upsert with synchronous_commit on, bench/README.md session 8). A crash
empties it, which forgets at most one period of counts; replicas do not
see it, and no replica takes writes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0001_throttle_cache_table")]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("key", models.TextField(primary_key=True, serialize=False)),
                ("window_no", models.BigIntegerField()),
                ("hits", models.IntegerField()),
                ("previous_hits", models.IntegerField()),
                ("expires", models.FloatField(db_index=True)),
            ],
            options={"db_table": "heritage_rate_counter"},
        ),
        migrations.RunSQL(
            "ALTER TABLE heritage_rate_counter SET UNLOGGED", "ALTER TABLE heritage_rate_counter SET LOGGED"
        ),
        migrations.RunSQL("DROP TABLE IF EXISTS heritage_rate_limits", migrations.RunSQL.noop),
    ]
