"""Published sites counted per cluster cell and zoom, kept by statement-level
triggers, so a low-zoom vector tile reads at most 32 × 32 ready cells instead
of clustering every point in it per request (ADR 0008).

A cell at zoom z is 1/32 of a tile (CLUSTER_CELL = 128 of 4096 units in
sites.selectors_tiles), i.e. a square of the level z + 5 Web Mercator
quadtree: column cx = floor((x + W) / 2W · 2^(z+5)), row cy likewise from the
top. Each cell holds its site count `n`, the sums of their Mercator x and y
(the cluster is drawn at the mean) and of their ids: all three can be
subtracted again, so a delete or a move is as cheap as an insert, and when
`n` is 1 the id sum is that one site's id (`site_id`, for its name).
Zooms 0–13 are kept here (migration 0012 adds 14); deeper tiles show the
sites themselves.
"""

from django.db import migrations, models

WORLD_M = 20037508.342789244  # half the Web Mercator world's width
LAST_CLUSTER_ZOOM = 13

# {rows}: a query of (id, location, sign) with sign +1 (added) or -1 (removed).
# {zooms}: the zooms whose cells it updates. (Migration 0012 rebuilds the
# trigger function from these same texts with zoom 14 added.)
UPSERT_ZOOMS = f"""
INSERT INTO sites_site_tile_cell AS c (zoom, cx, cy, n, sum_x, sum_y, id_sum, site_id)
SELECT zoom, cx, cy, sum(sign), sum(sign * mx), sum(sign * my), sum(sign * id),
       CASE WHEN sum(sign) = 1 THEN sum(sign * id) END
FROM ({{rows}}) AS changed,
  LATERAL (SELECT ST_X(m) AS mx, ST_Y(m) AS my FROM ST_Transform(changed.location::geometry, 3857) AS m) AS merc,
  LATERAL (
    SELECT z AS zoom,
           floor((mx + {WORLD_M}) / {2 * WORLD_M} * 2 ^ (z + 5))::int AS cx,
           floor(({WORLD_M} - my) / {2 * WORLD_M} * 2 ^ (z + 5))::int AS cy
    FROM {{zooms}} AS z
  ) AS cell
GROUP BY zoom, cx, cy
ORDER BY zoom, cx, cy
ON CONFLICT (zoom, cx, cy) DO UPDATE SET
  n = c.n + EXCLUDED.n, sum_x = c.sum_x + EXCLUDED.sum_x, sum_y = c.sum_y + EXCLUDED.sum_y,
  id_sum = c.id_sum + EXCLUDED.id_sum,
  site_id = CASE WHEN c.n + EXCLUDED.n = 1 THEN c.id_sum + EXCLUDED.id_sum END;
"""


def upsert_of_zooms(first: int, last: int) -> str:
    return UPSERT_ZOOMS.replace("{zooms}", f"generate_series({first}, {last})")


UPSERT = upsert_of_zooms(0, LAST_CLUSTER_ZOOM)

PUBLISHED = "SELECT id, location, 1 AS sign FROM sites_site WHERE status = 'published'"
ADDED = "SELECT id, location, 1 AS sign FROM new_rows WHERE status = 'published'"
REMOVED = "SELECT id, location, -1 AS sign FROM old_rows WHERE status = 'published'"
# An update matters only to rows whose status or location changed.
MOVED = (
    "SELECT n.id FROM new_rows n JOIN old_rows o USING (id)"
    " WHERE n.status <> o.status OR NOT ST_Equals(n.location::geometry, o.location::geometry)"
)


def apply_function(upsert: str) -> str:
    """The trigger function, its UPSERT writing the cells of some zooms."""
    return f"""
CREATE OR REPLACE FUNCTION sites_site_tile_cell_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {upsert.format(rows=ADDED)}
  ELSIF TG_OP = 'DELETE' THEN
    {upsert.format(rows=REMOVED)}
  ELSIF TG_OP = 'UPDATE' THEN
    {upsert.format(rows=f"{ADDED} AND id IN ({MOVED}) UNION ALL {REMOVED} AND id IN ({MOVED})")}
  ELSIF TG_OP = 'TRUNCATE' THEN
    DELETE FROM sites_site_tile_cell;
  END IF;
  RETURN NULL;
END $$;
"""


APPLY_FUNCTION = apply_function(UPSERT)

FORWARD = f"""
CREATE TABLE sites_site_tile_cell (
  zoom smallint NOT NULL, cx integer NOT NULL, cy integer NOT NULL,
  n integer NOT NULL, sum_x double precision NOT NULL, sum_y double precision NOT NULL,
  id_sum bigint NOT NULL, site_id bigint,
  PRIMARY KEY (zoom, cx, cy)
);

{APPLY_FUNCTION}

CREATE TRIGGER sites_site_tile_cell_insert AFTER INSERT ON sites_site
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sites_site_tile_cell_apply();
CREATE TRIGGER sites_site_tile_cell_update AFTER UPDATE ON sites_site
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sites_site_tile_cell_apply();
CREATE TRIGGER sites_site_tile_cell_delete AFTER DELETE ON sites_site
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sites_site_tile_cell_apply();
CREATE TRIGGER sites_site_tile_cell_truncate AFTER TRUNCATE ON sites_site
  FOR EACH STATEMENT EXECUTE FUNCTION sites_site_tile_cell_apply();

{UPSERT.format(rows=PUBLISHED)}
"""

BACKWARD = """
DROP TRIGGER sites_site_tile_cell_truncate ON sites_site;
DROP TRIGGER sites_site_tile_cell_delete ON sites_site;
DROP TRIGGER sites_site_tile_cell_update ON sites_site;
DROP TRIGGER sites_site_tile_cell_insert ON sites_site;
DROP FUNCTION sites_site_tile_cell_apply();
DROP TABLE sites_site_tile_cell;
"""


class Migration(migrations.Migration):
    dependencies = [("sites", "0007_content_version_triggers")]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
        # The model only reads the table (sites.models.SiteTileCell).
        migrations.CreateModel(
            name="SiteTileCell",
            fields=[
                ("pk", models.CompositePrimaryKey("zoom", "cx", "cy", blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ("zoom", models.SmallIntegerField()),
                ("cx", models.IntegerField()),
                ("cy", models.IntegerField()),
                ("n", models.IntegerField()),
                ("sum_x", models.FloatField()),
                ("sum_y", models.FloatField()),
                ("id_sum", models.BigIntegerField()),
            ],
            options={"db_table": "sites_site_tile_cell", "managed": False},
        ),
    ]
