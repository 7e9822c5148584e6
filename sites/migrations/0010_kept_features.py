"""Kept OGC feature texts of published sites (sites.models.KeptFeature).

The texts are written by Python (sites.kept_features, from the same SQL
expression the pages use) and only ever *deleted* here: a statement that
changes a site, a site's periods or the order of the period vocabulary
deletes the rows it makes stale, in the writing transaction. Each trigger
first takes the shared side of an advisory lock whose exclusive side a
filler holds while it builds texts, so a filler never writes a text from a
snapshot older than a write whose deletion it would then escape (the race
is spelled out in sites/kept_features.py).
"""

from django.db import migrations, models

from sites.kept_features import FILL_LOCK

TABLE = "sites_site_kept_feature"

FORWARD = f"""
CREATE FUNCTION {TABLE}_forget_sites() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({FILL_LOCK});
  DELETE FROM {TABLE} k USING old_rows o WHERE k.site_id = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER {TABLE}_site_update AFTER UPDATE ON sites_site
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_sites();
CREATE TRIGGER {TABLE}_site_delete AFTER DELETE ON sites_site
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_sites();

-- A site's periods: the rows added (new_rows) and removed (old_rows).
CREATE FUNCTION {TABLE}_forget_periods() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({FILL_LOCK});
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    DELETE FROM {TABLE} k USING new_rows n WHERE k.site_id = n.site_id;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    DELETE FROM {TABLE} k USING old_rows o WHERE k.site_id = o.site_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER {TABLE}_periods_insert AFTER INSERT ON sites_site_periods
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_periods();
CREATE TRIGGER {TABLE}_periods_update AFTER UPDATE ON sites_site_periods
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_periods();
CREATE TRIGGER {TABLE}_periods_delete AFTER DELETE ON sites_site_periods
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_periods();

-- Every feature lists its periods in the vocabulary's order: a change of a
-- code or an order forgets them all (the seed loader's re-saves of an
-- unchanged vocabulary do not).
CREATE FUNCTION {TABLE}_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({FILL_LOCK});
  DELETE FROM {TABLE};
  RETURN NULL;
END $$;
CREATE TRIGGER {TABLE}_period_order AFTER UPDATE ON sites_period FOR EACH ROW
  WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.sort_order IS DISTINCT FROM NEW.sort_order)
  EXECUTE FUNCTION {TABLE}_forget_all();
CREATE TRIGGER {TABLE}_period_delete AFTER DELETE ON sites_period
  FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_all();
CREATE TRIGGER {TABLE}_periods_truncate AFTER TRUNCATE ON sites_site_periods
  FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget_all();
"""

BACKWARD = f"""
DROP TRIGGER {TABLE}_periods_truncate ON sites_site_periods;
DROP TRIGGER {TABLE}_period_delete ON sites_period;
DROP TRIGGER {TABLE}_period_order ON sites_period;
DROP TRIGGER {TABLE}_periods_delete ON sites_site_periods;
DROP TRIGGER {TABLE}_periods_update ON sites_site_periods;
DROP TRIGGER {TABLE}_periods_insert ON sites_site_periods;
DROP TRIGGER {TABLE}_site_delete ON sites_site;
DROP TRIGGER {TABLE}_site_update ON sites_site;
DROP FUNCTION {TABLE}_forget_all();
DROP FUNCTION {TABLE}_forget_periods();
DROP FUNCTION {TABLE}_forget_sites();
"""


class Migration(migrations.Migration):
    dependencies = [("sites", "0009_change_log")]

    operations = [
        migrations.CreateModel(
            name="KeptFeature",
            fields=[
                (
                    "site",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="kept_feature",
                        serialize=False,
                        to="sites.site",
                    ),
                ),
                ("digest", models.CharField(max_length=16)),
                ("text", models.TextField()),
            ],
            options={"db_table": TABLE},
        ),
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
    ]
