"""Each route's start point and bounding box, kept by PostgreSQL.

The route list shows every published route by its start point and bbox.
Both came from the full path, read from TOAST and decompressed twice per
route per request: 31 of the list's 120 ms at 1,000 routes (bench/README.md,
"Session 10"). Stored generated columns, like the generalized paths of
migration 0010: rewritten in the statement that changes `path`, so no write
can leave them stale. The expressions are those of geodata.functions'
StartPoint and of BBoxJSON's box (tests/routes/test_path_start_and_box.py
holds them equal). Not model fields: only the route list reads them. Both
are geometry, not geography: they are shown, never searched, so they need
no spatial index (tests/sites/test_models.py asks one of every geography).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE routes_route
  ADD COLUMN path_start geometry(Point, 4326)
    GENERATED ALWAYS AS (ST_StartPoint(ST_GeometryN(path::geometry, 1))) STORED,
  ADD COLUMN path_box box2d GENERATED ALWAYS AS (Box2D(path::geometry)) STORED
"""
BACKWARD = "ALTER TABLE routes_route DROP COLUMN path_start, DROP COLUMN path_box"


class Migration(migrations.Migration):
    dependencies = [("routes", "0010_generalized_paths")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
