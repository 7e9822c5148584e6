"""OGC API – Features views: landing page, conformance, API definition,
collections, one collection, its feature schema and its queryables, in JSON
or HTML. The items and single features are in items.py, the HTTP frame
(parameters, negotiation, problem+json) in http.py.

Plain Django views: the OGC contract (links, numberMatched, f=json|html)
differs enough from the DRF API that a serializer would only get in the
way. Errors are RFC 9457 problem details naming the parameter.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from api.ogc import html
from api.ogc.collections import COLLECTIONS, Collection
from api.ogc.extents import collection_extent
from api.ogc.http import HTML, JSON, absolute, get_collection, ogc_view, representation, respond, self_links
from api.ogc.items import download_links, item, items
from api.ogc.openapi import OPENAPI_MEDIA_TYPE, openapi_document
from api.ogc.schemas import SCHEMA_MEDIA_TYPE, feature_schema, queryables_schema
from geodata.crs import CRS84, SUPPORTED_CRS
from geodata.exports.metadata import LICENSE_URLS
from geodata.geojson import GEOJSON_MEDIA_TYPE

__all__ = ["item", "items"]  # urls.py names every view from here

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    # Part 2: crs and bbox-crs on items, Content-Crs (docs/adr/0013-ogc-crs-and-cql2.md).
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    # Part 3 and the CQL2 classes actually implemented (geodata/cql2.py).
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
]
TITLE = "İzmir heritage routes – OGC API Features"


@ogc_view({"f"})
def landing(request):
    """The landing page: what this API is and where everything is."""
    links = [
        *self_links(request, "landing"),
        {
            "href": absolute(request, "api"),
            "rel": "service-desc",
            "type": OPENAPI_MEDIA_TYPE,
            "title": "The API definition (OpenAPI 3.0)",
        },
        {
            "href": absolute(request, "api", {"f": "html"}),
            "rel": "service-doc",
            "type": HTML,
            "title": "The API documentation",
        },
        {
            "href": absolute(request, "conformance"),
            "rel": "conformance",
            "type": JSON,
            "title": "Conformance classes",
        },
        {
            "href": absolute(request, "conformance"),
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/conformance",
            "type": JSON,
            "title": "Conformance classes",
        },
        {"href": absolute(request, "collections"), "rel": "data", "type": JSON, "title": "Collections"},
        {
            "href": absolute(request, "collections"),
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/data",
            "type": JSON,
            "title": "Collections",
        },
        {
            "href": LICENSE_URLS.get(settings.HERITAGE_DATA_LICENSE, ""),
            "rel": "license",
            "title": settings.HERITAGE_DATA_LICENSE,
        },
        {
            # Numbered, immutable releases of the same data, with URLs to cite.
            "href": request.build_absolute_uri(reverse("v1:release-list")),
            "rel": "related",
            "type": JSON,
            "title": "Citable data releases",
        },
    ]
    data = {
        "title": TITLE,
        "description": (
            "Heritage sites, routes and stops of İzmir. "
            f"Attribution: {settings.HERITAGE_DATA_ATTRIBUTION}. "
            f"Data version {settings.HERITAGE_DATA_VERSION}."
        ),
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "links": links,
    }
    return respond(request, data, title=TITLE)


@ogc_view({"f"})
def conformance(request):
    return respond(
        request, {"conformsTo": CONFORMANCE, "links": self_links(request, "conformance")}, title="Conformance"
    )


@ogc_view({"f"})
def api_definition(request):
    document = openapi_document(request.build_absolute_uri(reverse("ogc:landing")).rstrip("/"))
    if representation(request) == HTML:
        return HttpResponse(
            html.page("OpenAPI 3.0 definition", document), content_type="text/html; charset=utf-8"
        )
    return JsonResponse(document, content_type=OPENAPI_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False})


def collection_description(request, collection: Collection) -> dict:
    items = "items"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "extent": collection_extent(collection),
        "itemType": "feature",
        "crs": list(SUPPORTED_CRS),
        "storageCrs": CRS84,
        "links": [
            {
                "href": absolute(request, items, {"f": "json"}, collection_id=collection.id),
                "rel": "items",
                "type": GEOJSON_MEDIA_TYPE,
                "title": f"{collection.title} (GeoJSON)",
            },
            {
                "href": absolute(request, items, {"f": "html"}, collection_id=collection.id),
                "rel": "items",
                "type": HTML,
                "title": f"{collection.title} (HTML map and table)",
            },
            # Feature schema. GDAL up to 3.6 matches only "describedBy" (RFC 8288
            # relation names compare case-insensitively, so both spell one relation).
            *(
                {
                    "href": absolute(request, "schema", collection_id=collection.id),
                    "rel": rel,
                    "type": SCHEMA_MEDIA_TYPE,
                    "title": f"{collection.title}: feature schema",
                }
                for rel in ("describedby", "describedBy")
            ),
            {
                "href": absolute(request, "queryables", collection_id=collection.id),
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": SCHEMA_MEDIA_TYPE,
                "title": f"{collection.title}: queryable properties (filter, sortby)",
            },
            {
                "href": absolute(request, "collection", collection_id=collection.id),
                "rel": "self",
                "type": JSON,
            },
        ],
    }


@ogc_view({"f"})
def collections(request):
    data = {
        "links": self_links(request, "collections"),
        "collections": [collection_description(request, collection) for collection in COLLECTIONS.values()],
    }
    return respond(request, data, title="Collections")


@ogc_view({"f"})
def collection(request, collection_id):
    found = get_collection(collection_id)
    data = collection_description(request, found)
    data["links"] = self_links(request, "collection", collection_id=collection_id) + data["links"][:-1]
    if representation(request) == HTML:
        data["links"] += download_links(request, collection_id)
        # The map shows the first 1,000 features, with their slugs only.
        query = {"f": "json", "limit": 1000, "properties": "slug" if found.id_lookup == "slug" else "site"}
        features_url = absolute(request, "items", query, collection_id=collection_id)
        page = html.collection_page(found.title, data, features_url=features_url)
        return HttpResponse(page, content_type="text/html; charset=utf-8")
    return respond(request, data, title=found.title)


@ogc_view({"f"})
def schema(request, collection_id):
    """JSON Schema of the collection's features (schemas.py), for clients
    such as GDAL that type their fields from it."""
    found = get_collection(collection_id)
    document = feature_schema(found, request.build_absolute_uri(request.path))
    if representation(request) == HTML:
        return HttpResponse(
            html.page(f"{found.title}: feature schema", document), content_type="text/html; charset=utf-8"
        )
    return JsonResponse(document, content_type=SCHEMA_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False})


@ogc_view({"f"})
def queryables(request, collection_id):
    """The properties `filter` and `sortby` may name (Part 3), as JSON Schema."""
    found = get_collection(collection_id)
    document = queryables_schema(found, request.build_absolute_uri(request.path))
    if representation(request) == HTML:
        return HttpResponse(
            html.page(f"{found.title}: queryables", document), content_type="text/html; charset=utf-8"
        )
    return JsonResponse(document, content_type=SCHEMA_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False})
