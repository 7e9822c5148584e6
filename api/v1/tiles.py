"""Vector tiles of published sites and routes, and their TileJSON.

GET /api/v1/tiles/{z}/{x}/{y}.mvt: layers `sites` (points) and `routes`
(lines), names in the negotiated language, built by PostGIS in one query.
GET /api/v1/tiles.json: TileJSON 3.0.0 (URL template, zooms, bounds, layers
and the data's attribution, which a binary tile cannot carry itself).
"""

import json

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.exceptions import ParameterError
from api.params import TileParams
from api.public import PublicReadApi
from api.v1.schema import YEAR_PARAMETER
from geodata.tiles import MAX_ZOOM, MVT_MEDIA_TYPE, mvt_tile, tile_exists
from routes.selectors_tiles import route_tile_layer
from sites.selectors_tiles import site_tile_layer

TILE_CACHE = "public, max-age=3600"


class MVTRenderer(BaseRenderer):
    media_type = MVT_MEDIA_TYPE
    format = "mvt"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()  # problem details on errors


class VectorTileApi(PublicReadApi):
    renderer_classes = [MVTRenderer]
    cache_control = TILE_CACHE

    @extend_schema(
        tags=["tiles"],
        summary="A vector tile (MVT) of published sites and routes",
        parameters=[
            OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=text)
            for name, text in (("z", "zoom, 0–22"), ("x", "column, 0–2^z−1"), ("y", "row (XYZ), 0–2^z−1"))
        ]
        + [YEAR_PARAMETER],
        responses={
            (200, MVT_MEDIA_TYPE): OpenApiTypes.BINARY,
            (400, "application/problem+json"): OpenApiResponse(description="No such tile z/x/y."),
        },
    )
    def get(self, request, z: str, x: str, y: str):
        year = TileParams.parse(request).get("year")
        z, x, y = int(z), int(x), int(y)
        if not tile_exists(z, x, y):
            detail = f"No tile {z}/{x}/{y}: z is 0–{MAX_ZOOM}, x and y are 0–2^z−1."
            raise ParameterError({"z/x/y": [detail]})
        layers = {
            "sites": site_tile_layer(z=z, x=x, y=y, language=self.language, year=year),
            "routes": route_tile_layer(z=z, x=x, y=y, language=self.language),
        }
        response = Response(mvt_tile(layers))
        response["Content-Language"] = self.language
        return response


class TileJsonApi(PublicReadApi):
    renderer_classes = [JSONRenderer]
    cache_control = TILE_CACHE

    @extend_schema(tags=["tiles"], summary="TileJSON 3.0.0 for the tiles", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        west, south, east, north = settings.HERITAGE_SERVICE_AREA
        template = request.build_absolute_uri("/api/v1/tiles/") + "{z}/{x}/{y}.mvt"
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
                "vector_layers": [
                    {
                        "id": "sites",
                        "fields": {"slug": "String", "label": "String", "kind": "String",
                                   "start_year": "Number", "end_year": "Number"},
                    },
                    {
                        "id": "routes",
                        "fields": {"slug": "String", "label": "String", "theme": "String",
                                   "designation": "String", "path_quality": "String"},
                    },
                ],
            }
        )
