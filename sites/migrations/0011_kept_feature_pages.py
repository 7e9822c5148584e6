"""The page of every site read from the kept texts alone (ADR 0010 item 21).

Each kept text gets its site's slug, indexed with the digest, so the first
1,000 of them in slug order are one index range scan, not a walk of the
sites' slug index with a probe into the kept texts for each. That is only
right while every published site has a kept text, so a counter per digest,
kept exact by statement-level triggers as the status counter is (0005),
says how many there are: the page reads the kept texts alone only when the
counter equals the published count (sites.kept_features.kept_page_sql).

The slug cannot go stale: migration 0010's triggers delete a site's text in
the statement that changes the site, and a text is only ever written with
the slug of the row it was built from.
"""

from django.db import migrations, models

TABLE = "sites_site_kept_feature"
COUNT = "sites_site_kept_feature_count"

FORWARD = f"""
UPDATE {TABLE} k SET slug = s.slug FROM sites_site s WHERE s.id = k.site_id;

CREATE TABLE {COUNT} (digest varchar(16) PRIMARY KEY, n bigint NOT NULL);
INSERT INTO {COUNT} SELECT digest, count(*) FROM {TABLE} GROUP BY digest;

CREATE FUNCTION {COUNT}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {COUNT} AS c (digest, n)
      SELECT digest, count(*) FROM new_rows GROUP BY digest
      ON CONFLICT (digest) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO {COUNT} AS c (digest, n)
      SELECT digest, -count(*) FROM old_rows GROUP BY digest
      ON CONFLICT (digest) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO {COUNT} AS c (digest, n)
      SELECT digest, sum(delta) FROM (
        SELECT digest, 1 AS delta FROM new_rows
        UNION ALL SELECT digest, -1 FROM old_rows
      ) AS moved GROUP BY digest HAVING sum(delta) <> 0
      ON CONFLICT (digest) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'TRUNCATE' THEN
    DELETE FROM {COUNT};
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER {COUNT}_insert AFTER INSERT ON {TABLE}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {COUNT}_apply();
CREATE TRIGGER {COUNT}_update AFTER UPDATE ON {TABLE}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {COUNT}_apply();
CREATE TRIGGER {COUNT}_delete AFTER DELETE ON {TABLE}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {COUNT}_apply();
CREATE TRIGGER {COUNT}_truncate AFTER TRUNCATE ON {TABLE}
  FOR EACH STATEMENT EXECUTE FUNCTION {COUNT}_apply();
"""

BACKWARD = f"""
DROP TRIGGER {COUNT}_truncate ON {TABLE};
DROP TRIGGER {COUNT}_delete ON {TABLE};
DROP TRIGGER {COUNT}_update ON {TABLE};
DROP TRIGGER {COUNT}_insert ON {TABLE};
DROP FUNCTION {COUNT}_apply();
DROP TABLE {COUNT};
"""


class Migration(migrations.Migration):
    dependencies = [("sites", "0010_kept_features")]

    operations = [
        migrations.AddField(
            model_name="keptfeature",
            name="slug",
            field=models.CharField(default="", max_length=120),
            preserve_default=False,
        ),
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
        migrations.AddIndex(
            model_name="keptfeature",
            index=models.Index(fields=["digest", "slug"], name="sites_kept_feature_page"),
        ),
    ]
