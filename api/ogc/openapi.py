"""The OpenAPI 3.0 definition of /ogc (conformance class oas30), written
out by hand from the collection registry: the OGC endpoints are plain
Django views, outside drf-spectacular's reach."""

from api.ogc.collections import COLLECTIONS
from editorial.vocabularies import PERIODS, Kind
from geodata.cql2 import FILTER_LANGS
from geodata.crs import SUPPORTED_CRS
from routes.models import Mode, Theme

OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _list_of(values) -> dict:
    # A comma-separated list (style form, explode false) of known codes.
    return {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(values)}}


# bbox numbers: longitudes and latitudes, min before max (the order cannot be
# said in OpenAPI 3.0; a reversed box is a 400).
COORDINATE = {"type": "number", "minimum": -180, "maximum": 180}

FILTER_SCHEMAS = {
    "kind": _list_of(Kind.values),
    "period": _list_of(code for code, *_rest in PERIODS),
    "theme": _list_of(Theme.values),
    "mode": _list_of(Mode.values),
    "route": {"type": "string", "pattern": "^[-a-zA-Z0-9_,]*$"},
}


def _parameter(
    name: str, description: str, schema: dict, *, where: str = "query", required: bool = False
) -> dict:
    # OpenAPI 3.0 allows style form for query parameters only; a path
    # parameter is style simple (openapi-spec-validator refused form).
    style = {"style": "form", "explode": False} if where == "query" else {"style": "simple"}
    return {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
        **style,
    }


def _json(schema_ref: str, media: str = "application/json") -> dict:
    return {
        "content": {
            media: {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}},
            "text/html": {"schema": {"type": "string"}},
        }
    }


ERROR = {
    "description": "A problem (RFC 9457) naming the parameter",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/problem"}}},
}


def _operation(
    operation_id: str,
    summary: str,
    parameters: list,
    schema: str,
    media: str = "application/json",
    *,
    not_found: bool = False,
) -> dict:
    responses = {"200": {"description": summary, **_json(schema, media)}, "400": ERROR}
    if not_found:
        responses["404"] = ERROR
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


def _collection_paths(collection) -> dict:
    """Items and item paths of one collection, with its own filters."""
    filters = [
        _parameter(name, text, FILTER_SCHEMAS.get(name, {"type": "string"}))
        for name, text in collection.filter_help.items()
        if name != "datetime"
    ]
    paging = [
        {"$ref": f"#/components/parameters/{name}"} for name in ("bbox", "limit", "offset", *ITEMS_EXTRA)
    ]
    if collection.temporal:
        paging.append({"$ref": "#/components/parameters/datetime"})
    feature_id = _parameter(
        "featureId",
        "Slug" if not collection.id_is_integer else "Stop number",
        {"type": "integer"} if collection.id_is_integer else {"type": "string"},
        where="path",
        required=True,
    )
    base = f"/collections/{collection.id}"
    name = collection.id.capitalize()
    return {
        base: _operation(
            f"describe{name}Collection", collection.title, [F_PARAM], "collection", not_found=True
        ),
        f"{base}/items": _operation(
            f"get{name}Features",
            f"{collection.title}, a page at a time",
            [F_PARAM, *paging, *filters],
            "featureCollectionGeoJSON",
            "application/geo+json",
            not_found=True,
        ),
        f"{base}/schema": _operation(
            f"get{name}Schema",
            f"{collection.title}: JSON Schema of a feature",
            [F_PARAM],
            "jsonSchema",
            "application/schema+json",
            not_found=True,
        ),
        f"{base}/queryables": _operation(
            f"get{name}Queryables",
            f"{collection.title}: the properties filter and sortby may name",
            [F_PARAM],
            "jsonSchema",
            "application/schema+json",
            not_found=True,
        ),
        f"{base}/items/{{featureId}}": _operation(
            f"get{name}Feature",
            f"One of the {collection.title.lower()}",
            [feature_id, F_PARAM, *({"$ref": f"#/components/parameters/{name}"} for name in ITEM_EXTRA)],
            "featureGeoJSON",
            "application/geo+json",
            not_found=True,
        ),
    }


F_PARAM = {"$ref": "#/components/parameters/f"}
ITEM_EXTRA = ("crs", "properties", "skipGeometry")
ITEMS_EXTRA = ("crs", "bbox-crs", "filter", "filter-lang", "filter-crs", "sortby", *ITEM_EXTRA[1:])
CRS_SCHEMA = {"type": "string", "enum": list(SUPPORTED_CRS), "format": "uri"}


def _extra_parameters() -> dict:
    """Parts 2 and 3, sortby and sparse fields (api/ogc/query.py)."""
    return {
        "crs": _parameter("crs", "CRS of the response's geometries (Part 2); default CRS84", CRS_SCHEMA),
        "bbox-crs": _parameter("bbox-crs", "CRS of the bbox numbers; EPSG:4326 is lat,lon", CRS_SCHEMA),
        "filter": _parameter(
            "filter",
            "CQL2 filter on the queryables, e.g. kind = 'mosque' AND start_year < 1700"
            " (at most 4000 characters)",
            {"type": "string", "maxLength": 4000},
        ),
        "filter-lang": _parameter(
            "filter-lang",
            "Language of filter",
            {"type": "string", "enum": list(FILTER_LANGS), "default": "cql2-text"},
        ),
        "filter-crs": _parameter(
            "filter-crs",
            "CRS of the filter's geometry literals (default CRS84; EPSG:4326 is lat,lon), "
            "transformed to lon/lat by PostGIS",
            CRS_SCHEMA,
        ),
        "sortby": _parameter(
            "sortby",
            "Queryables to sort by, comma-separated, - for descending (e.g. -start_year,slug)",
            {
                "type": "array",
                "minItems": 1,
                "maxItems": 5,
                "items": {"type": "string", "pattern": "^[+-]?[a-z_]+$"},
            },
        ),
        "properties": _parameter(
            "properties",
            "Only these properties, comma-separated",
            {"type": "array", "items": {"type": "string"}},
        ),
        "skipGeometry": _parameter(
            "skipGeometry", "true: features without geometry", {"type": "boolean", "default": False}
        ),
    }


def openapi_document(base_url: str) -> dict:
    """The definition with `base_url` (…/ogc) as its server."""
    paths = {
        "/": _operation("getLandingPage", "Landing page", [F_PARAM], "landingPage"),
        "/conformance": _operation("getConformance", "Conformance classes", [F_PARAM], "confClasses"),
        "/api": _operation(
            "getApi", "This definition (OpenAPI 3.0)", [F_PARAM], "openapi", OPENAPI_MEDIA_TYPE
        ),
        "/collections": _operation("getCollections", "Feature collections", [F_PARAM], "collections"),
    }
    for collection in COLLECTIONS.values():
        paths.update(_collection_paths(collection))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "İzmir heritage routes – OGC API Features",
            "version": "1.0.0",
            "description": (
                "OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (CRS) and "
                "Part 3 (queryables, CQL2 filters). "
                "`datetime` on sites uses years only; negative years are BCE."
            ),
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "parameters": {
                **_extra_parameters(),
                "f": _parameter("f", "Representation", {"type": "string", "enum": ["json", "html"]}),
                "bbox": {
                    **_parameter(
                        "bbox",
                        "min_lon,min_lat,max_lon,max_lat (CRS84)",
                        # As in OGC's own definition; 5 numbers are a 400.
                        {"type": "array", "minItems": 4, "maxItems": 6, "items": COORDINATE},
                    )
                },
                "limit": _parameter(
                    "limit",
                    "Page size (default 100; larger than 10000 is served as 10000)",
                    {"type": "integer", "minimum": 1, "maximum": 10**12, "default": 100},
                ),
                "offset": _parameter(
                    "offset",
                    "Features to skip",
                    {"type": "integer", "minimum": 0, "maximum": 10**12, "default": 0},
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
                "openapi": {"type": "object"},
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
                "jsonSchema": {"type": "object", "description": "A JSON Schema (2020-12) document."},
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
