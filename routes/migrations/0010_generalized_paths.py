"""Each route's path generalized once per low zoom, kept by PostgreSQL.

A z10 tile over İzmir at 1,000 routes spent 66 of its 70 ms in the routes
layer: every crossing route's full path (up to 2,000 vertices, read from
TOAST) cast, clipped, simplified and projected per request (bench/README.md,
session 9). `path_z6` … `path_z13` hold the path in Web Mercator simplified
to half a pixel at that zoom (geodata.tiles.generalized_line_sql), so a
tile only clips it (routes.selectors_tiles). They are stored generated
columns: PostgreSQL rewrites them in the statement that changes `path`, so
no write, ORM or SQL, can leave one stale. Not model fields: nothing but the
tile query reads them, and no form, history or export should carry them.
"""

from django.db import migrations

from geodata.tiles import generalized_line_sql

ZOOMS = range(6, 14)  # routes.selectors_tiles.GENERALIZED_ZOOMS

FORWARD = "ALTER TABLE routes_route " + ", ".join(
    f"ADD COLUMN path_z{z} geometry GENERATED ALWAYS AS ({generalized_line_sql('path', z)}) STORED"
    for z in ZOOMS
)
BACKWARD = "ALTER TABLE routes_route " + ", ".join(f"DROP COLUMN path_z{z}" for z in ZOOMS)


class Migration(migrations.Migration):
    dependencies = [("routes", "0009_audio_change_log")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
