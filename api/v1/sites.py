"""Public site endpoints: the map list, nearby, one site's detail.

Views parse parameters (api.params), call one selector and respond. Lists
come out of PostGIS as finished GeoJSON features.
"""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.exceptions import ParameterError
from api.params import LanguageParams, NearbyParams, SiteListParams
from api.public import PublicReadApi
from api.rawjson import RawJSON
from api.v1.schema import (
    COMMON_PARAMETERS,
    SITE_COLLECTION_RESPONSES,
    SITE_DETAIL_RESPONSES,
    SITE_LIST_PARAMETERS,
    SITE_NEARBY_PARAMETERS,
    SITE_NEARBY_RESPONSES,
)
from api.v1.serializers.fields import media_url
from routes.selectors import route_exists
from routes.selectors_detail import Attribution, site_detail_body
from sites.selectors import site_list_page, site_nearby_features


def attribution() -> dict:
    """Licence members every public collection carries (CC BY 4.0 needs it)."""
    return {"attribution": settings.HERITAGE_DATA_ATTRIBUTION, "license": settings.HERITAGE_DATA_LICENSE}


def licence() -> Attribution:
    """attribution() for the bodies PostgreSQL builds whole."""
    return Attribution(settings.HERITAGE_DATA_ATTRIBUTION, settings.HERITAGE_DATA_LICENSE)


def feature_array(features: list[str]) -> RawJSON:
    """Feature texts from PostgreSQL as one JSON array, written verbatim."""
    return RawJSON("[" + ",".join(features) + "]")


def page_links(request, *, offset: int, limit: int, returned: int, matched: int) -> list[dict]:
    """OGC API - Features style links: self, and next/prev when they exist."""

    def link(rel: str, new_offset: int) -> dict:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        href = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"rel": rel, "type": "application/geo+json", "href": href}

    links = [link("self", offset)]
    if offset + returned < matched:
        links.append(link("next", offset + limit))
    if offset > 0:
        links.append(link("prev", max(offset - limit, 0)))
    return links


class SiteListApi(PublicReadApi):
    """GET /api/v1/sites: published sites as a paged FeatureCollection."""

    reads_content_version = True

    @extend_schema(
        operation_id="sites_list",
        tags=["sites"],
        parameters=SITE_LIST_PARAMETERS,
        responses=SITE_COLLECTION_RESPONSES,
    )
    def get(self, request):
        params = SiteListParams.parse(request)
        if params.get("route") and not route_exists(params["route"]):
            raise ParameterError({"route": ["No published route has this slug."]})
        limit, offset = params.pop("limit"), params.pop("offset")
        params.pop("lang", None)
        page = site_list_page(language=self.language, limit=limit, offset=offset, **params)
        self.content_version = page.content_version
        returned = len(page.features)
        links = page_links(
            request, offset=offset, limit=limit, returned=returned, matched=page.number_matched
        )
        return Response(
            {
                "type": "FeatureCollection",
                "numberMatched": page.number_matched,
                "numberReturned": returned,
                "links": links,
                **attribution(),
                "features": feature_array(page.features),
            }
        )


class SiteNearbyApi(PublicReadApi):
    """GET /api/v1/sites/nearby: published sites around a point, nearest first."""

    reads_content_version = True
    keep_responses = False  # positions rarely repeat to the metre

    @extend_schema(
        operation_id="sites_nearby",
        tags=["sites"],
        parameters=SITE_NEARBY_PARAMETERS,
        responses=SITE_NEARBY_RESPONSES,
    )
    def get(self, request):
        params = NearbyParams.parse(request)
        features = site_nearby_features(
            point=params["point"],
            radius_m=params["radius"],
            limit=params["limit"],
            language=self.language,
            year=params.get("year"),
        )
        self.content_version = features.content_version
        return Response(
            {
                "type": "FeatureCollection",
                "numberReturned": len(features),
                **attribution(),
                "features": feature_array(features),
            }
        )


class SiteDetailApi(PublicReadApi):
    """GET /api/v1/sites/{slug}: one published site, everything a detail
    screen shows, as a GeoJSON Feature built whole in PostgreSQL
    (routes.selectors_detail; its contract is SiteDetailSerializer)."""

    reads_content_version = True

    @extend_schema(
        operation_id="sites_detail",
        tags=["sites"],
        parameters=COMMON_PARAMETERS,
        responses=SITE_DETAIL_RESPONSES,
    )
    def get(self, request, slug):
        LanguageParams.parse(request)
        body = site_detail_body(
            slug=slug, language=self.language, media_base=media_url(request, ""), attribution=licence()
        )
        if body is None:
            raise Http404("No published site has this slug.")
        self.content_version = body.content_version
        response = Response(RawJSON(body.text))
        # Say the language the name is really in, after the per-field fallback.
        response.content_language = body.language
        return response
