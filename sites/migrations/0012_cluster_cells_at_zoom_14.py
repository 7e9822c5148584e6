"""Cluster cells for zoom 14 too, so tiles show the sites themselves from
zoom 15 on (sites.selectors_tiles.CLUSTER_BELOW_ZOOM; ADR 0010, item 23).

The trigger function of migration 0008 is rebuilt from that migration's own
texts with zooms 0–14, and the zoom-14 cells of today's published sites are
filled in. A zoom-14 cell is 1/32 of the tile, about 60 m a side in İzmir,
smaller than a site's circle on the map there; backwards, the function goes
back to zooms 0–13 and the zoom-14 cells are dropped.
"""

from importlib import import_module

from django.db import migrations

cells = import_module("sites.migrations.0008_site_tile_cells")

LAST_CLUSTER_ZOOM = 14

FILL_ZOOM_14 = cells.upsert_of_zooms(LAST_CLUSTER_ZOOM, LAST_CLUSTER_ZOOM).format(rows=cells.PUBLISHED)
FORWARD = cells.apply_function(cells.upsert_of_zooms(0, LAST_CLUSTER_ZOOM)) + FILL_ZOOM_14
BACKWARD = (
    cells.apply_function(cells.upsert_of_zooms(0, cells.LAST_CLUSTER_ZOOM))
    + f"DELETE FROM sites_site_tile_cell WHERE zoom > {cells.LAST_CLUSTER_ZOOM};"
)


class Migration(migrations.Migration):
    dependencies = [("sites", "0011_kept_feature_pages")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
