"""JSON Schemas of each collection's features (`/collections/{id}/schema`).

GDAL's OAPIF driver (and so QGIS through GDAL) otherwise guesses field
types from the first page of ten features: on the İzmir data `end_year` is
empty on the first ten sites, so it became a String field. With a schema
linked from the collection (`describedBy`) GDAL types every field from it.

GDAL 3.6 reads only a plain `"type": "<name>"` per property (a type list
such as `["integer", "null"]` is an unknown type to it: every such field
became a String), so the OGC features leave a property out when it is null
(jsonb_strip_nulls) instead of sending a null its plain type would refuse,
and no property is `required`. A test validates every feature of every
collection against its schema with `jsonschema`.
"""

SCHEMA_MEDIA_TYPE = "application/schema+json"

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
OBJECT = {"type": "object"}
STRINGS = {"type": "array", "items": STRING}
TEXTS = {
    "type": "object",
    "description": "Text per language code (tr, en, de).",
    "additionalProperties": STRING,
}


def _nullable(schema: dict, what: str) -> dict:
    return {**schema, "description": f"{what}; left out when unknown."}


PROPERTIES: dict[str, dict[str, dict]] = {
    "sites": {
        "slug": STRING,
        "name": TEXTS,
        "description": TEXTS,
        "kind": STRING,
        "periods": STRINGS,
        "start_year": _nullable(INTEGER, "First year, BCE negative"),
        "end_year": _nullable(INTEGER, "Last year, BCE negative; null also when still standing"),
        "shape": _nullable(OBJECT, "Outline or line as a GeoJSON geometry"),
        "geometry_quality": STRING,
        "confidence": STRING,
        "district": STRING,
        "address": STRING,
        "opening_hours": STRING,
        "accessibility": OBJECT,
        "wikidata": STRING,
        "pleiades": STRING,
        "osm": STRING,
        "sources": STRINGS,
        "license": STRING,
        "attribution": STRING,
        "status": STRING,
    },
    "routes": {
        "feature_type": STRING,
        "slug": STRING,
        "name": TEXTS,
        "summary": TEXTS,
        "description": TEXTS,
        "theme": STRING,
        "designation": STRING,
        "modes": STRINGS,
        "length_m": _nullable(NUMBER, "Path length in metres"),
        "duration_min": _nullable(INTEGER, "Planned duration in minutes"),
        "path_quality": STRING,
        "stops": {
            "type": "array",
            "description": "Stops in order: site slug, order and more.",
            "items": OBJECT,
        },
        "license": STRING,
        "attribution": STRING,
        "status": STRING,
    },
    "stops": {
        "route": STRING,
        "order": INTEGER,
        "site": STRING,
        "name": TEXTS,
        "kind": STRING,
        "designation": STRING,
        "dwell_min": _nullable(INTEGER, "Minutes to spend at the stop"),
        "trigger_radius_m": _nullable(INTEGER, "Radius in metres that counts as arrived"),
    },
}


def feature_schema(collection, schema_url: str) -> dict:
    """A JSON Schema (2020-12) of one GeoJSON feature of `collection`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": f"{collection.title}: a feature",
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": INTEGER if collection.id_is_integer else STRING,
            "geometry": {
                "type": "object",
                "description": f"A GeoJSON {collection.geometry_type}, WGS84 lon/lat.",
            },
            "properties": {"type": "object", "properties": PROPERTIES[collection.id]},
        },
    }


def queryables_schema(collection, schema_url: str) -> dict:
    """Part 3 queryables: what `filter` and `sortby` may name, with types."""
    properties = {
        name: {"type": queryable.type, "title": name, "description": queryable.description}
        for name, queryable in collection.queryables.properties.items()
    }
    properties[collection.queryables.spatial] = {
        "title": "geometry",
        "description": f"The feature's {collection.geometry_type} (CRS84 in filters)",
        "format": f"geometry-{collection.geometry_type.lower()}",
    }
    if collection.queryables.years:
        properties[collection.queryables.temporal] = {
            "title": "datetime",
            "description": "The years start_year..end_year (no end: still standing); dates compare by year",
            "format": "date-time",
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": f"{collection.title}: queryables",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
