"""One contract, two producers: the DB-built features of the list endpoints
equal what the drf-gis twins in api/v1/serializers/ produce.

Compared after a JSON round trip (what a client receives), as parsed dicts:
jsonb reorders keys, and GeoJSON does not depend on key order.
"""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db.models import Prefetch

from api.v1.serializers import (
    RouteListFeatureSerializer,
    SiteListFeatureSerializer,
    SiteNearbyFeatureSerializer,
)
from geodata.functions import GeographyDistance, rounded_metres
from routes.selectors import route_list_features, route_list_queryset
from sites.models import Period, Site
from sites.selectors import site_list_page, site_nearby_features
from sites.services import period_vocabulary_sync
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

LANGUAGES = ["tr", "en", "de"]


def _client_view(data) -> object:
    return json.loads(json.dumps(data))


@pytest.fixture
def sites(db):
    period_vocabulary_sync()
    first = SiteFactory(
        slug="a",
        name={"en": "Only English"},
        location=Point(27.12345678, 38.41234567, srid=4326),
        start_year=-500,
    )
    first.periods.set(["roman", "byzantine", "hellenistic"])
    SiteFactory(slug="b", name={"tr": "Türkçe", "de": "Deutsch"}, location=Point(*KONAK, srid=4326))
    return Site.objects.all()


def _sites_for_serializer():
    return Site.objects.published().prefetch_related(
        Prefetch("periods", Period.objects.order_by("sort_order"))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_site_list_features_match_the_drf_gis_serializer(sites, language):
    from_database = [json.loads(f) for f in site_list_page(language=language, limit=10, offset=0).features]
    from_serializer = SiteListFeatureSerializer(
        _sites_for_serializer().order_by("slug"), many=True, context={"language": language}
    ).data["features"]

    assert _client_view(from_database) == _client_view(from_serializer)
    assert from_database[0]["geometry"]["coordinates"] == [27.123457, 38.412346]
    assert from_database[0]["properties"]["periods"] == ["hellenistic", "roman", "byzantine"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_nearby_features_match_the_drf_gis_serializer(sites, language):
    origin = Point(KONAK[0] + 0.001, KONAK[1], srid=4326)
    from_database = [
        json.loads(f) for f in site_nearby_features(point=origin, radius_m=5000, limit=10, language=language)
    ]
    annotated = (
        _sites_for_serializer()
        .annotate(distance_m=rounded_metres(GeographyDistance("location", origin)))
        .order_by("distance_m")
    )
    from_serializer = SiteNearbyFeatureSerializer(annotated, many=True, context={"language": language}).data[
        "features"
    ]

    assert _client_view(from_database) == _client_view(from_serializer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_route_list_features_match_the_drf_gis_serializer(db, language):
    estimated = RouteFactory(
        slug="estimated", name={"de": "Nur Deutsch"}, summary={"en": "Sum"}, modes=["bus"]
    )
    RouteStopFactory(route=estimated, order=1, dwell_min=25)
    RouteStopFactory(route=estimated, order=2, dwell_min=5, site=SiteFactory(status="draft"))
    RouteFactory(slug="recorded", duration_min=77, modes=[])

    from_database = [json.loads(f) for f in route_list_features(language=language)]
    from_serializer = RouteListFeatureSerializer(
        route_list_queryset(), many=True, context={"language": language}
    ).data["features"]

    assert _client_view(from_database) == _client_view(from_serializer)
    assert from_database[0]["properties"]["duration_min"] == 29  # 1.1 km by bus ≈ 3.3 min + 25 min
