"""Rows per status of sites_site, kept exact by statement-level triggers.

OGC API clients (GDAL, QGIS) read numberMatched on every unfiltered page;
counting 900,000 published rows costs ~50 ms, five times the page itself
(ADR 0005). The triggers aggregate each statement's transition tables, so a
bulk insert of a million rows updates the counter once, and TRUNCATE (as
test flushes do) empties it.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE sites_site_status_count (status varchar(20) PRIMARY KEY, n bigint NOT NULL);
INSERT INTO sites_site_status_count SELECT status, count(*) FROM sites_site GROUP BY status;

CREATE FUNCTION sites_site_status_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sites_site_status_count AS c (status, n)
      SELECT status, count(*) FROM new_rows GROUP BY status
      ON CONFLICT (status) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO sites_site_status_count AS c (status, n)
      SELECT status, -count(*) FROM old_rows GROUP BY status
      ON CONFLICT (status) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO sites_site_status_count AS c (status, n)
      SELECT status, sum(delta) FROM (
        SELECT status, 1 AS delta FROM new_rows
        UNION ALL SELECT status, -1 FROM old_rows
      ) AS moved GROUP BY status HAVING sum(delta) <> 0
      ON CONFLICT (status) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'TRUNCATE' THEN
    DELETE FROM sites_site_status_count;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sites_site_status_count_insert AFTER INSERT ON sites_site
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sites_site_status_count_apply();
CREATE TRIGGER sites_site_status_count_update AFTER UPDATE ON sites_site
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sites_site_status_count_apply();
CREATE TRIGGER sites_site_status_count_delete AFTER DELETE ON sites_site
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sites_site_status_count_apply();
CREATE TRIGGER sites_site_status_count_truncate AFTER TRUNCATE ON sites_site
  FOR EACH STATEMENT EXECUTE FUNCTION sites_site_status_count_apply();
"""

BACKWARD = """
DROP TRIGGER sites_site_status_count_truncate ON sites_site;
DROP TRIGGER sites_site_status_count_delete ON sites_site;
DROP TRIGGER sites_site_status_count_update ON sites_site;
DROP TRIGGER sites_site_status_count_insert ON sites_site;
DROP FUNCTION sites_site_status_count_apply();
DROP TABLE sites_site_status_count;
"""


class Migration(migrations.Migration):
    dependencies = [("sites", "0004_read_indexes")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
