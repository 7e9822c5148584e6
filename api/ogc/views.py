"""OGC API – Features views: landing page, conformance, API definition,
collections, items and one item, in JSON (GeoJSON for features) or HTML.

Plain Django views: the OGC contract (links, numberMatched, f=json|html)
differs enough from the DRF API that a serializer would only get in the
way. Features arrive as text built by PostgreSQL and are joined, never
parsed. Errors are RFC 9457 problem details naming the parameter.
"""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from api.exceptions import PROBLEM_MEDIA_TYPE, problem
from api.ogc import html
from api.ogc.collections import COLLECTIONS, Collection
from api.ogc.counts import cached_count
from api.ogc.openapi import OPENAPI_MEDIA_TYPE, openapi_document
from api.ogc.schemas import SCHEMA_MEDIA_TYPE, feature_schema
from api.paging import parse_page
from geodata.crs import CRS84
from geodata.exports.metadata import LICENSE_URLS
from geodata.geojson import GEOJSON_MEDIA_TYPE
from geodata.params import FilterError
from sites.selectors import published_site_count

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # within bigint
DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
# Larger limits are accepted up to this and served as MAX_LIMIT; beyond it
# (and beyond PostgreSQL's bigint) a value is a 400.
MAX_OFFSET = MAX_ASKED_LIMIT = 10**12
PAGING_PARAMS = {"limit", "offset", "f"}
JSON = "application/json"
HTML = "text/html"
TITLE = "İzmir heritage routes – OGC API Features"


class OgcError(Exception):
    def __init__(self, status: int, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.parameter = status, detail, parameter


def problem_response(error: OgcError) -> JsonResponse:
    errors = [{"parameter": error.parameter, "message": error.detail}] if error.parameter else None
    body = problem(
        error.status, f"{error.parameter}: {error.detail}" if error.parameter else error.detail, errors=errors
    )
    # OGC's exception schema names `code` and `description`; both are given.
    body.update(code=str(error.status), description=body["detail"])
    return JsonResponse(
        body, status=error.status, content_type=PROBLEM_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def ogc_view(allowed: set[str]):
    """Require GET/HEAD, reject unknown query parameters (OGC
    /req/core/query-param-unknown) and turn OgcError into problem+json."""

    def decorate(view):
        @require_safe
        def wrapper(request, *args, **kwargs):
            try:
                unknown = sorted(set(request.GET) - allowed - _collection_params(kwargs))
                if unknown:
                    raise OgcError(400, "Unknown query parameter.", unknown[0])
                for name, value in request.GET.items():
                    if "\x00" in value:  # PostgreSQL text cannot hold NUL: a 400, not a 500
                        raise OgcError(400, "NUL characters are not allowed.", name)
                representation(request)
                return view(request, *args, **kwargs)
            except OgcError as error:
                return problem_response(error)
            except FilterError as error:
                return problem_response(OgcError(400, error.message, error.parameter))

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        # Read-only: other methods get 405 with Allow from require_safe, not
        # the CSRF middleware's 403 page (nothing here changes state).
        return csrf_exempt(wrapper)

    return decorate


def _collection_params(kwargs) -> set[str]:
    collection = COLLECTIONS.get(kwargs.get("collection_id", ""))
    return set(collection.filters) if collection else set()


def representation(request) -> str:
    """`f` wins; else the Accept header; else JSON."""
    f = request.GET.get("f")
    if f is not None:
        if f in ("json", "geojson"):
            return JSON
        if f == "html":
            return HTML
        raise OgcError(400, "Use f=json or f=html.", "f")
    accept = request.headers.get("Accept", "")
    first = accept.split(",")[0].strip()
    return HTML if first.startswith("text/html") else JSON


def absolute(request, name: str, params: dict | None = None, **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"ogc:{name}", kwargs=kwargs))
    return f"{url}?{urlencode(params)}" if params else url


def self_links(request, name: str, *, json_type: str = JSON, **kwargs) -> list[dict]:
    """self + alternate, in the representation asked for and the other one."""
    here = representation(request)
    json_link = {"href": absolute(request, name, {"f": "json"}, **kwargs), "type": json_type, "title": "JSON"}
    html_link = {"href": absolute(request, name, {"f": "html"}, **kwargs), "type": HTML, "title": "HTML"}
    if here == HTML:
        return [{**html_link, "rel": "self"}, {**json_link, "rel": "alternate"}]
    return [{**json_link, "rel": "self"}, {**html_link, "rel": "alternate"}]


def respond(request, data: dict, *, title: str, content_type: str = JSON) -> HttpResponse:
    if representation(request) == HTML:
        return HttpResponse(html.page(title, data), content_type="text/html; charset=utf-8")
    return JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})


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
    west, south, east, north = settings.HERITAGE_SERVICE_AREA
    extent = {"spatial": {"bbox": [[west, south, east, north]], "crs": CRS84}}
    if collection.temporal:
        # Years may be BCE, which RFC 3339 cannot write: the interval is left
        # open and the `datetime` parameter documents the year mapping.
        extent["temporal"] = {
            "interval": [[None, None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    items = "items"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "extent": extent,
        "itemType": "feature",
        "crs": [CRS84],
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
                "title": f"{collection.title} (HTML)",
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


def get_collection(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise OgcError(404, f"No collection {collection_id!r}; see /ogc/collections.") from None


@ogc_view({"f"})
def collection(request, collection_id):
    found = get_collection(collection_id)
    data = collection_description(request, found)
    data["links"] = self_links(request, "collection", collection_id=collection_id) + data["links"][:-1]
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


def page_links(request, collection_id: str, *, offset: int, limit: int, matched: int) -> list[dict]:
    params = {key: value for key, value in request.GET.items() if key != "f"}
    kwargs = {"collection_id": collection_id}

    def link(rel: str, page_offset: int, fmt: str, media: str) -> dict:
        query = {**params, "offset": page_offset, "limit": limit, "f": fmt}
        return {"href": absolute(request, "items", query, **kwargs), "rel": rel, "type": media}

    here_html = representation(request) == HTML
    links = [
        link("self", offset, "html" if here_html else "json", HTML if here_html else GEOJSON_MEDIA_TYPE),
        link("alternate", offset, "json" if here_html else "html", GEOJSON_MEDIA_TYPE if here_html else HTML),
        {"href": absolute(request, "collection", **kwargs), "rel": "collection", "type": JSON},
    ]
    fmt, media = ("html", HTML) if here_html else ("json", GEOJSON_MEDIA_TYPE)
    if offset + limit < matched:
        links.append(link("next", offset + limit, fmt, media))
    if offset > 0:
        links.append(link("prev", max(offset - limit, 0), fmt, media))
    return links


def matched_count(*, returned: int, offset: int, limit: int, count: Callable[[], int]) -> int:
    """numberMatched without a COUNT when the page itself tells it exactly:
    a short page that is not empty is the last one (so offset + returned),
    and a first page shorter than the limit holds every match. Only a full
    page, or an empty page past the start, needs `count()` (cached_count)."""
    if returned < limit and (returned or offset == 0):
        return offset + returned
    return count()


def count_matching(collection_id: str, filters: tuple, rows) -> int:
    """All published sites: the trigger-kept counter, exact and O(1) (the
    count GDAL and QGIS ask for on every page). Anything filtered: a COUNT,
    reused for a few seconds (counts.py)."""
    if collection_id == "sites" and not filters:
        return published_site_count()
    return cached_count((collection_id, filters), rows.count)


@ogc_view({"f", "bbox", "limit", "offset", "datetime"})
def items(request, collection_id):
    """A page of features built by PostgreSQL in one query. numberMatched
    comes from the page when it is the last one (matched_count), else from a
    COUNT reused for a few seconds (counts.py): two queries at most."""
    found = get_collection(collection_id)
    if request.GET.get("datetime") and not found.temporal:
        raise OgcError(400, f"The {found.id} collection has no dates.", "datetime")
    # OGC allows a server to cap `limit`; larger values are served as the maximum.
    window = parse_page(
        request.GET,
        default_limit=DEFAULT_LIMIT,
        max_limit=MAX_ASKED_LIMIT,
        max_offset=MAX_OFFSET,
        cap_limit=MAX_LIMIT,
    )
    limit, offset = window.limit, window.offset
    rows = found.rows(request.GET)
    filters = tuple(sorted((key, value) for key, value in request.GET.items() if key not in PAGING_PARAMS))
    texts = list(
        rows.annotate(feature_text=found.expression()).values_list("feature_text", flat=True)[
            offset : offset + limit
        ]
    )
    matched = matched_count(
        returned=len(texts),
        offset=offset,
        limit=limit,
        count=lambda: count_matching(collection_id, filters, rows),
    )
    links = page_links(request, collection_id, offset=offset, limit=limit, matched=matched)
    stamp = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    envelope = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(texts),
        "timeStamp": stamp,
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "links": links,
    }
    if representation(request) == HTML:
        features = [json.loads(text) for text in texts]  # HTML pages are for people: small
        return HttpResponse(
            html.items_page(found.title, envelope, features), content_type="text/html; charset=utf-8"
        )
    body = json.dumps(envelope, ensure_ascii=False)[:-1] + ', "features": [' + ",".join(texts) + "]}"
    return HttpResponse(body, content_type=GEOJSON_MEDIA_TYPE)


@ogc_view({"f"})
def item(request, collection_id, feature_id):
    found = get_collection(collection_id)
    # ASCII digits only: "²".isdigit() is true but int("²") raises (a 500).
    if found.id_is_integer and not ASCII_DIGITS.fullmatch(feature_id):
        raise OgcError(404, f"No feature {feature_id!r} in {collection_id}.")
    rows = found.rows({}).filter(**{found.id_lookup: feature_id})
    text = rows.annotate(feature_text=found.expression()).values_list("feature_text", flat=True).first()
    if text is None:
        raise OgcError(404, f"No feature {feature_id!r} in {collection_id}.")
    kwargs = {"collection_id": collection_id, "feature_id": feature_id}
    links = [
        *self_links(request, "item", json_type=GEOJSON_MEDIA_TYPE, **kwargs),
        {
            "href": absolute(request, "collection", collection_id=collection_id),
            "rel": "collection",
            "type": JSON,
        },
    ]
    if representation(request) == HTML:
        return HttpResponse(
            html.feature_page(found.title, json.loads(text), links), content_type="text/html; charset=utf-8"
        )
    body = text[:-1] + ', "links": ' + json.dumps(links, ensure_ascii=False) + "}"
    return HttpResponse(body, content_type=GEOJSON_MEDIA_TYPE)
