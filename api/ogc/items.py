"""/collections/{id}/items and /items/{featureId}: pages of features built
by PostgreSQL in one query and joined as text, never parsed. `crs` (Part 2)
reprojects in PostGIS and is named in the Content-Crs header; `filter`
(Part 3), `sortby`, `properties` and `skipGeometry` are parsed in query.py."""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, Window
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.urls import reverse

from api.ogc import html
from api.ogc.counts import cached_count, remember_count, remembered_count
from api.ogc.http import HTML, JSON, OgcError, absolute, get_collection, ogc_view, representation, self_links
from api.ogc.query import ITEM_PARAMS, ITEMS_PARAMS, feature_options, items_query
from api.paging import parse_page
from editorial.query_templates import QueryTemplate
from geodata.geojson import GEOJSON_MEDIA_TYPE, FeatureOptions
from interchange.exports import FORMATS
from sites.kept_features import KEPT_PAGES_COMPLETE_SQL, kept_page_sql
from sites.selectors import PUBLISHED_COUNT_SQL, published_site_count
from sites.selectors_export import KEPT_OPTIONS

ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # within bigint
DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
# Larger limits are accepted up to this and served as MAX_LIMIT; beyond it
# (and beyond PostgreSQL's bigint) a value is a 400.
MAX_OFFSET = MAX_ASKED_LIMIT = 10**12
# Parameters that do not change which rows match (so not part of a count's key).
NOT_FILTERS = {"limit", "offset", "f", "crs", "properties", "skipGeometry"}


def page_links(request, collection_id: str, *, offset: int, limit: int, matched: int) -> list[dict]:
    params = {key: value for key, value in request.GET.items() if key != "f"}
    kwargs = {"collection_id": collection_id}
    items_url = absolute(request, "items", **kwargs)  # reversed once, not once a link

    def link(rel: str, page_offset: int, fmt: str, media: str) -> dict:
        query = {**params, "offset": page_offset, "limit": limit, "f": fmt}
        return {"href": f"{items_url}?{urlencode(query)}", "rel": rel, "type": media}

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
    return cached_count((collection_id, filters), rows.order_by().count)


def page_with_total(found, filters: tuple, query, *, offset: int, limit: int):
    """The page's feature texts, and the exact number of matching rows when
    the same statement can tell it: `count(*) OVER ()` is computed over every
    row the WHERE clause keeps, in the one scan the page's top-N sort makes
    anyway, before LIMIT (the features themselves are built for the page's
    rows only, above the sort). A separate COUNT would scan them all again:
    a first page paid twice the raw query (bench_ogc). Used only when no
    count is at hand: a count remembered for this filter (counts.py) makes
    the window wasted work. The total is None when unknown (no window, or
    an empty page). All sites, unfiltered, are every_site_page."""
    window = slice(offset, offset + limit)
    shaped = query.rows.annotate(feature_text=found.expression(query.options))
    key = (found.id, filters)
    known = remembered_count(key)
    if known is not None:
        return list(shaped.values_list("feature_text", flat=True)[window]), known
    pairs = list(shaped.annotate(total=Window(Count("pk"))).values_list("feature_text", "total")[window])
    if not pairs:
        return [], None
    total = pairs[0][1]
    remember_count(key, total)
    return [text for text, _total in pairs], total


def every_site_page(options: FeatureOptions, *, offset: int, limit: int) -> tuple[list[str], int | None]:
    """A page of all published sites, the one GIS clients page through, and
    how many there are, in one statement (the trigger-kept counter, read in
    the page's snapshot). Its query is compiled once per shape
    (editorial.query_templates): building and compiling the queryset cost
    more than PostgreSQL's 3-4 ms for the kept texts of 1,000 sites
    (bench/README.md, session 8). In the default shape the statement is
    the kept texts alone (sites.kept_features.kept_page_sql: one index range
    scan) while every published site has its text, else the page built from
    the sites, as one UNION ALL whose other branch PostgreSQL never runs.
    LIMIT and OFFSET are checked integers, written after the ORDER BY. The
    total is None for an empty page."""
    page = f"LIMIT {int(limit)} OFFSET {int(offset)}"
    statement = f"{_every_site_template(options).statement()} {page}"
    if options == KEPT_OPTIONS:
        # Exactly one branch holds rows (its One-Time Filter is tested before
        # its scan), so its order is the page's.
        statement = f"({kept_page_sql(offset=offset, limit=limit)}) UNION ALL ({statement})"
    with connection.cursor() as cursor:
        cursor.execute(statement)
        rows = cursor.fetchall()
    return [text for text, _total in rows], (rows[0][1] if rows else None)


@lru_cache(maxsize=64)  # shapes: crs × properties × skipGeometry asked for
def _every_site_template(options: FeatureOptions) -> QueryTemplate:
    found = get_collection("sites")
    rows = found.rows({})
    if options == KEPT_OPTIONS:  # built only while some kept text is missing
        rows = rows.filter(RawSQL(f"NOT {KEPT_PAGES_COMPLETE_SQL}", [], output_field=BooleanField()))
    rows = rows.annotate(feature_text=found.expression(options), total=RawSQL(PUBLISHED_COUNT_SQL, []))
    return QueryTemplate(rows.values_list("feature_text", "total"))


EXPORT_FILTERS = ("bbox", "kind", "period", "route", "datetime")


def download_links(request, collection_id: str, feature_id: str | None = None) -> list[dict]:
    """The researchers' export in every file format, for the HTML pages: all
    sites (with the page's site-list filters), or one route with its stops."""
    if collection_id == "sites":
        base = reverse("v1:export-sites")
        params = {name: request.GET[name] for name in EXPORT_FILTERS if request.GET.get(name)}
    elif collection_id == "routes" and feature_id:
        base, params = reverse("v1:export-route", kwargs={"slug": feature_id}), {}
    else:
        return []
    return [
        {
            "href": request.build_absolute_uri(f"{base}?{urlencode({'format': fmt, **params})}"),
            "rel": "enclosure",
            "title": f"Download: {fmt}",
        }
        for fmt in FORMATS
    ]


def _geojson(body: str, crs_uri: str) -> HttpResponse:
    response = HttpResponse(body, content_type=GEOJSON_MEDIA_TYPE)
    response["Content-Crs"] = f"<{crs_uri}>"
    return response


@ogc_view(ITEMS_PARAMS)
def items(request, collection_id):
    """A page of features built by PostgreSQL in one query. numberMatched
    comes from the page when it is the last one (matched_count), else from
    the page's own window count (page_with_total) or a count remembered for
    a few seconds (counts.py): one query, two only for an empty page past
    the end."""
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
    filters = tuple(sorted((key, value) for key, value in request.GET.items() if key not in NOT_FILTERS))
    if collection_id == "sites" and not filters:
        # No parameter that selects rows: only the shape is left to parse.
        options, rows = feature_options(found, request.GET), None
        texts, total = every_site_page(options, offset=offset, limit=limit)
    else:
        query = items_query(found, request.GET)
        options, rows = query.options, query.rows
        texts, total = page_with_total(found, filters, query, offset=offset, limit=limit)
    matched = matched_count(
        returned=len(texts),
        offset=offset,
        limit=limit,
        count=lambda: total if total is not None else count_matching(collection_id, filters, rows),
    )
    envelope = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(texts),
        "timeStamp": datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "links": page_links(request, collection_id, offset=offset, limit=limit, matched=matched),
    }
    if representation(request) == HTML:
        features = [json.loads(text) for text in texts]  # HTML pages are for people: small
        links = {**envelope, "links": envelope["links"] + download_links(request, collection_id)}
        page = html.items_page(found.title, links, features, lon_lat=options.crs.is_crs84)
        return HttpResponse(page, content_type="text/html; charset=utf-8")
    # One join, one copy of the ~550 KB a page of 1,000 holds (each `+` copied it again).
    head = json.dumps(envelope, ensure_ascii=False)[:-1]
    return _geojson("".join((head, ', "features": [', ",".join(texts), "]}")), options.crs.uri)


@ogc_view(ITEM_PARAMS)
def item(request, collection_id, feature_id):
    found = get_collection(collection_id)
    # ASCII digits only: "²".isdigit() is true but int("²") raises (a 500).
    if found.id_is_integer and not ASCII_DIGITS.fullmatch(feature_id):
        raise OgcError(404, f"No feature {feature_id!r} in {collection_id}.")
    options = feature_options(found, request.GET)
    rows = found.rows({}).filter(**{found.id_lookup: feature_id})
    text = (
        rows.annotate(feature_text=found.expression(options)).values_list("feature_text", flat=True).first()
    )
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
        every = links + download_links(request, collection_id, feature_id)
        page = html.feature_page(found.title, json.loads(text), every, lon_lat=options.crs.is_crs84)
        return HttpResponse(page, content_type="text/html; charset=utf-8")
    return _geojson(text[:-1] + ', "links": ' + json.dumps(links, ensure_ascii=False) + "}", options.crs.uri)
