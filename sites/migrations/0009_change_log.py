"""Sites and photos in the change feed (editorial.change_log): a site or a
photo is logged when it is or was published; when a site is published or
withdrawn, each of its photos is logged too (its visibility flips with it);
a published site whose periods change is logged, and so is a published
site when one of its published photos changes."""

from django.db import migrations

from editorial.change_log import (
    FUNCTION,
    PUBLISHED,
    drop_trigger_sql,
    log_cascade_trigger_sql,
    log_parent_trigger_sql,
    log_rows_trigger_sql,
)

PERIODS_SQL = f"""
CREATE FUNCTION sites_site_periods_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM {FUNCTION}('site', site.slug) FROM sites_site site
    WHERE site.id = COALESCE(NEW.site_id, OLD.site_id) AND site.status = {PUBLISHED};
  RETURN NULL;
END $$;
CREATE TRIGGER sites_site_periods_change_log AFTER INSERT OR UPDATE OR DELETE ON sites_site_periods
  FOR EACH ROW EXECUTE FUNCTION sites_site_periods_change_log();
"""

FORWARD = [
    log_rows_trigger_sql("sites_site", "site", key="{row}.slug", when="{row}.status = " + PUBLISHED),
    log_rows_trigger_sql("sites_photo", "photo", key="{row}.id::text", when="{row}.status = " + PUBLISHED),
    log_cascade_trigger_sql(
        "sites_site", "photos", "photo", keys="SELECT id::text FROM sites_photo WHERE site_id = NEW.id"
    ),
    PERIODS_SQL,
    # A public photo's change changes its published site's detail too.
    log_parent_trigger_sql(
        "sites_photo",
        "site",
        "site",
        keys="SELECT slug FROM sites_site WHERE id = {row}.site_id AND status = " + PUBLISHED,
        when="{row}.status = " + PUBLISHED,
    ),
]
BACKWARD = [
    drop_trigger_sql("sites_photo", "sites_photo_site_change_log"),
    drop_trigger_sql("sites_site_periods", "sites_site_periods_change_log"),
    drop_trigger_sql("sites_site", "sites_site_photos_change_log"),
    drop_trigger_sql("sites_photo", "sites_photo_change_log"),
    drop_trigger_sql("sites_site", "sites_site_change_log"),
]


class Migration(migrations.Migration):
    dependencies = [("sites", "0008_site_tile_cells"), ("editorial", "0002_change_log")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
