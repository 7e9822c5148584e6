"""Renderers: GeoJSON first, plain JSON second.

A view whose only renderer is application/geo+json would answer a client
sending `Accept: application/json` with 406; listing JSON second serves it.
"""

from rest_framework.renderers import JSONRenderer

from geodata.geojson import GEOJSON_MEDIA_TYPE


class GeoJSONRenderer(JSONRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"


GEOJSON_RENDERERS = [GeoJSONRenderer, JSONRenderer]
