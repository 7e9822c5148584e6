"""The OpenAPI 3.0 definition of /ogc (conformance class oas30), written
out by hand from the collection registry: the OGC endpoints are plain
Django views, outside drf-spectacular's reach."""

from api.ogc.collections import COLLECTIONS

OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _parameter(
    name: str, description: str, schema: dict, *, where: str = "query", required: bool = False
) -> dict:
    return {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


def _json(schema_ref: str, media: str = "application/json") -> dict:
    return {
        "content": {
            media: {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}},
            "text/html": {"schema": {"type": "string"}},
        }
    }


def openapi_document(base_url: str) -> dict:
    """The definition with `base_url` (…/ogc) as its server."""
    filters = {}
    for collection in COLLECTIONS.values():
        for name, text in collection.filter_help.items():
            filters.setdefault(name, []).append(f"{collection.id}: {text}")
    filter_parameters = [
        _parameter(name, " ".join(texts), {"type": "string"}) for name, texts in sorted(filters.items())
    ]
    error = {
        "description": "A problem (RFC 9457) naming the parameter",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}},
    }
    f_param = {"$ref": "#/components/parameters/f"}
    collection_id = _parameter(
        "collectionId",
        "Collection id",
        {"type": "string", "enum": list(COLLECTIONS)},
        where="path",
        required=True,
    )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "İzmir heritage routes – OGC API Features",
            "version": "1.0.0",
            "description": (
                "OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0). "
                "`datetime` on sites uses years only; negative years are BCE."
            ),
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "getLandingPage",
                    "summary": "Landing page",
                    "parameters": [f_param],
                    "responses": {"200": {"description": "Landing page", **_json("landingPage")}},
                }
            },
            "/conformance": {
                "get": {
                    "operationId": "getConformance",
                    "summary": "Conformance classes",
                    "parameters": [f_param],
                    "responses": {"200": {"description": "Conformance", **_json("confClasses")}},
                }
            },
            "/api": {
                "get": {
                    "operationId": "getApi",
                    "summary": "This definition",
                    "parameters": [f_param],
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.0",
                            "content": {OPENAPI_MEDIA_TYPE: {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/collections": {
                "get": {
                    "operationId": "getCollections",
                    "summary": "Feature collections",
                    "parameters": [f_param],
                    "responses": {"200": {"description": "Collections", **_json("collections")}},
                }
            },
            "/collections/{collectionId}": {
                "get": {
                    "operationId": "describeCollection",
                    "summary": "One collection",
                    "parameters": [collection_id, f_param],
                    "responses": {"200": {"description": "Collection", **_json("collection")}, "404": error},
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "operationId": "getFeatures",
                    "summary": "Features of a collection, a page at a time",
                    "parameters": [
                        collection_id,
                        f_param,
                        {"$ref": "#/components/parameters/bbox"},
                        {"$ref": "#/components/parameters/limit"},
                        {"$ref": "#/components/parameters/offset"},
                        {"$ref": "#/components/parameters/datetime"},
                        *filter_parameters,
                    ],
                    "responses": {
                        "200": {
                            "description": "Features",
                            **_json("featureCollectionGeoJSON", "application/geo+json"),
                        },
                        "400": error,
                        "404": error,
                    },
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "operationId": "getFeature",
                    "summary": "One feature",
                    "parameters": [
                        collection_id,
                        _parameter(
                            "featureId",
                            "Slug (sites, routes) or number (stops)",
                            {"type": "string"},
                            where="path",
                            required=True,
                        ),
                        f_param,
                    ],
                    "responses": {
                        "200": {"description": "Feature", **_json("featureGeoJSON", "application/geo+json")},
                        "404": error,
                    },
                }
            },
        },
        "components": {
            "parameters": {
                "f": _parameter("f", "Representation", {"type": "string", "enum": ["json", "html"]}),
                "bbox": {
                    **_parameter(
                        "bbox",
                        "min_lon,min_lat,max_lon,max_lat (CRS84)",
                        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                    )
                },
                "limit": _parameter(
                    "limit",
                    "Page size (default 100; larger than 10000 is served as 10000)",
                    {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100},
                ),
                "offset": _parameter(
                    "offset", "Features to skip", {"type": "integer", "minimum": 0, "default": 0}
                ),
                "datetime": _parameter(
                    "datetime",
                    "sites only: a year/date or interval start/end ('..' open) "
                    "overlapping start_year..end_year; "
                    "negative years are BCE (-0546 = 546 BCE)",
                    {"type": "string"},
                ),
            },
            "schemas": {
                "link": {
                    "type": "object",
                    "required": ["href"],
                    "properties": {
                        "href": {"type": "string"},
                        "rel": {"type": "string"},
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                    },
                },
                "landingPage": {
                    "type": "object",
                    "required": ["links"],
                    "properties": {
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    },
                },
                "confClasses": {
                    "type": "object",
                    "required": ["conformsTo"],
                    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
                },
                "collection": {
                    "type": "object",
                    "required": ["id", "links"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                        "extent": {"type": "object"},
                        "itemType": {"type": "string"},
                        "crs": {"type": "array", "items": {"type": "string"}},
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    },
                },
                "collections": {
                    "type": "object",
                    "required": ["links", "collections"],
                    "properties": {
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                        "collections": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/collection"},
                        },
                    },
                },
                "featureGeoJSON": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "geometry": {"type": "object", "nullable": True},
                        "properties": {"type": "object", "nullable": True},
                        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                    },
                },
                "featureCollectionGeoJSON": {
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/featureGeoJSON"},
                        },
                        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
                        "timeStamp": {"type": "string", "format": "date-time"},
                        "numberMatched": {"type": "integer", "minimum": 0},
                        "numberReturned": {"type": "integer", "minimum": 0},
                    },
                },
                "problem": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "code": {"type": "string"},
                        "description": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
    }
