"""Vector tiles of published sites and routes, and their TileJSON.

GET /api/v1/tiles/v{version}/{z}/{x}/{y}.mvt: layers `sites` (points) and
`routes` (lines), names in the negotiated language, built by PostGIS in one
query with the content version; `immutable`, since the URL names the version.
GET /api/v1/tiles/{z}/{x}/{y}.mvt: the same, unversioned, revalidated always.
GET /api/v1/tiles.json: TileJSON 3.0.0 (the current version's URL template,
zooms, bounds, layers and the data's attribution, which a binary tile cannot
carry itself).
"""

import json
from functools import cache

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.exceptions import ParameterError
from api.ogc.extents import data_bounds
from api.params import TileParams
from api.public import PublicReadApi
from api.v1.schema import YEAR_PARAMETER
from editorial.content_version import VERSION_SQL
from geodata.tiles import ANY_TILE, MAX_ZOOM, MVT_MEDIA_TYPE, TileStatement, mvt_tile_with, tile_exists
from routes.selectors_tiles import path_detail, route_tile_layer
from sites.selectors_tiles import CLUSTER_BELOW_ZOOM, site_cluster_layer, site_point_layer, site_tile_layer

# A versioned tile never changes: its URL names the data version it shows.
IMMUTABLE = "public, max-age=31536000, immutable"
TILE_PARAMETERS = [
    *(
        OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=text)
        for name, text in (("z", "zoom, 0–22"), ("x", "column, 0–2^z−1"), ("y", "row (XYZ), 0–2^z−1"))
    ),
    YEAR_PARAMETER,
]
TILE_RESPONSES = {
    (200, MVT_MEDIA_TYPE): OpenApiTypes.BINARY,
    (400, "application/problem+json"): OpenApiResponse(description="No such tile z/x/y."),
}


# The layers of our tiles as TileJSON describes them (the route corridor's PMTiles
# metadata says the same).
VECTOR_LAYERS = [
    {
        "id": "sites",
        "fields": {
            "slug": "String",
            "label": "String",
            "kind": "String",
            "start_year": "Number",
            "end_year": "Number",
            # below the cluster zoom a point stands for point_count sites
            "point_count": "Number",
        },
    },
    {
        "id": "routes",
        "fields": {
            "slug": "String",
            "label": "String",
            "theme": "String",
            "designation": "String",
            "path_quality": "String",
        },
    },
]


def tile_statement(language: str, z: int) -> TileStatement:
    """The statement of any tile at zoom z, compiled on first use: building
    and compiling its two querysets per request cost as much as PostGIS
    building a street-level tile (bench/README.md, tiles). Zooms share one
    when they read the same sites layer and the same generalized paths."""
    return _compiled_tile(language, clustered=z < CLUSTER_BELOW_ZOOM, detail=path_detail(z))


@cache  # a few per process: languages × (clustered or not) × generalized paths
def _compiled_tile(language: str, clustered: bool, detail: int | None) -> TileStatement:
    sites = site_cluster_layer if clustered else site_point_layer
    layers = {
        "sites": sites(**ANY_TILE, language=language),
        "routes": route_tile_layer(**ANY_TILE, language=language, detail=detail),
    }
    return TileStatement(layers, VERSION_SQL)


class MVTRenderer(BaseRenderer):
    media_type = MVT_MEDIA_TYPE
    format = "mvt"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()  # problem details on errors


class VectorTileApi(PublicReadApi):
    """The tile as the data is now. Shared caches revalidate it every time
    (a 304 costs one indexed read); maps should use TileJSON's versioned URLs."""

    renderer_classes = [MVTRenderer]
    reads_content_version = True

    @extend_schema(
        tags=["tiles"],
        summary="A vector tile (MVT) of published sites and routes, as the data is now",
        parameters=TILE_PARAMETERS,
        responses=TILE_RESPONSES,
    )
    def get(self, request, z: str, x: str, y: str):
        return self.tile(int(z), int(x), int(y))

    def tile(self, z: int, x: int, y: int) -> Response:
        # Most tile requests have no query string: nothing to parse or refuse.
        year = TileParams.parse(self.request).get("year") if self.request.GET else None
        if not tile_exists(z, x, y):
            detail = f"No tile {z}/{x}/{y}: z is 0–{MAX_ZOOM}, x and y are 0–2^z−1."
            raise ParameterError({"z/x/y": [detail]})
        if year is None:
            tile, self.content_version = tile_statement(self.language, z).execute(z, x, y)
        else:  # time travel: rare, and the year is in the SQL
            layers = {
                "sites": site_tile_layer(z=z, x=x, y=y, language=self.language, year=year),
                "routes": route_tile_layer(z=z, x=x, y=y, language=self.language),
            }
            tile, self.content_version = mvt_tile_with(layers, VERSION_SQL)
        response = Response(tile)
        response["Content-Language"] = self.language
        return response


class VersionedVectorTileApi(VectorTileApi):
    """/tiles/v{version}/{z}/{x}/{y}.mvt: the tile at that content version,
    cacheable forever. Once the data has moved on, the URL redirects to the
    current version's (TileJSON names only that one), so no cache can hand
    out a stale tile for the current data."""

    cache_control = IMMUTABLE

    @extend_schema(
        tags=["tiles"],
        summary="A vector tile (MVT) at one content version (URLs come from TileJSON)",
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, OpenApiParameter.PATH, description="data version"),
            *TILE_PARAMETERS,
        ],
        responses={
            **TILE_RESPONSES,
            302: OpenApiResponse(description="An older version: the same tile at the current one."),
            (404, "application/problem+json"): OpenApiResponse(description="No such version yet."),
        },
    )
    def get(self, request, version: str, z: str, x: str, y: str):
        response = self.tile(int(z), int(x), int(y))
        if int(version) == self.content_version:
            return response
        if int(version) > self.content_version:
            raise NotFound("No such content version.")
        here = {"version": self.content_version, "z": z, "x": x, "y": y}
        moved = HttpResponseRedirect(reverse("v1:vector-tile-versioned", kwargs=here))
        moved["Cache-Control"] = "no-cache"
        return moved


class TileJsonApi(PublicReadApi):
    """Names the current version's tile URLs: revalidated on every use (its
    ETag is the content version, so a 304 costs one indexed read)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(tags=["tiles"], summary="TileJSON 3.0.0 for the tiles", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        # The published data's box (api/ogc/extents.py), not the service area:
        # "zoom to layer" goes to the features. No data yet: the service area.
        west, south, east, north = data_bounds() or settings.HERITAGE_SERVICE_AREA
        template = request.build_absolute_uri(f"/api/v1/tiles/v{self.content_version}/") + "{z}/{x}/{y}.mvt"
        return Response(
            {
                "tilejson": "3.0.0",
                "name": "İzmir heritage sites and routes",
                "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
                "license": settings.HERITAGE_DATA_LICENSE,
                "tiles": [template],
                "minzoom": 0,
                "maxzoom": MAX_ZOOM,
                "bounds": [west, south, east, north],
                "center": [27.1428, 38.4237, 12],
                "vector_layers": VECTOR_LAYERS,
            }
        )


class PMTilesRenderer(MVTRenderer):
    media_type = "application/vnd.pmtiles"
    format = "pmtiles"


class RouteCorridorTilesApi(PublicReadApi):
    """A published route's corridor as one PMTiles archive (api/v1/route_pmtiles.py)."""

    renderer_classes = [PMTilesRenderer]
    reads_content_version = True  # the archive is built for, and named by, the version it read
    keep_responses = False  # a file on disk already

    @extend_schema(
        tags=["tiles"],
        summary="The vector tiles (z12–z16) along a route as one PMTiles file, for offline maps",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={
            (200, "application/vnd.pmtiles"): OpenApiTypes.BINARY,
            (404, "application/problem+json"): OpenApiResponse(description="No such published route."),
        },
    )
    def get(self, request, slug: str):
        from api.v1.route_pmtiles import NoSuchRoute, route_corridor  # it imports tile_statement from here

        try:
            corridor = route_corridor(slug, self.language)
        except NoSuchRoute as error:
            raise NotFound("No published route has this slug.") from error
        self.content_version = corridor.version
        response = Response(corridor.path.read_bytes())
        response["Content-Language"] = self.language
        response["Content-Disposition"] = f'attachment; filename="{slug}-{self.language}.pmtiles"'
        return response
