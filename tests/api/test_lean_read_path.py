"""The per-request savings of the public read path keep its behaviour
(bench/README.md, "The HTTP stack of nearby and progress"): RawJSON's one
placeholder pattern, parameter fields bound once per class, remembered
content negotiation, follow-mode stops written as plain dicts."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.http import QueryDict
from rest_framework.test import APIRequestFactory

from api.exceptions import ParameterError
from api.params import NearbyParams
from api.rawjson import RawGeoJSONRenderer, RawJSON
from api.v1.serializers import NextStopSerializer, StopOnPathSerializer
from api.v1.serializers.progress import stop_on_path
from routes.progress import StopOnPath
from tests.factories import SiteFactory

NEARBY = "/api/v1/sites/nearby?lat=38.4189&lon=27.1287&radius=1000"


def test_a_string_shaped_like_a_placeholder_is_left_as_it_is():
    lookalike = "0123456789abcdef0123456789abcdef:0"

    rendered = RawGeoJSONRenderer().render({"text": lookalike, "raw": RawJSON("[1,2]")})

    assert json.loads(rendered) == {"text": lookalike, "raw": [1, 2]}


def test_many_raw_fragments_each_land_in_their_place():
    data = {f"k{i}": RawJSON(f'{{"i":{i}}}') for i in range(12)}

    rendered = json.loads(RawGeoJSONRenderer().render(data))

    assert rendered == {f"k{i}": {"i": i} for i in range(12)}


def _parse(query: str) -> dict:
    request = APIRequestFactory().get("/x?" + query)
    request.query_params = QueryDict(query)
    return NearbyParams.parse(request)


def test_shared_parameter_fields_keep_no_state_between_requests():
    with pytest.raises(ParameterError) as first:
        _parse("lat=abc&lon=27")
    good = _parse("lat=38.4&lon=27.1&limit=5")
    with pytest.raises(ParameterError) as again:
        _parse("lat=abc&lon=27")

    assert good["limit"] == 5
    assert good["point"].coords == (27.1, 38.4)
    assert _parse("lat=38.4&lon=27.1")["limit"] == 20  # the default, not the last value
    assert first.value.detail == again.value.detail
    assert set(first.value.detail) == {"lat"}


@pytest.mark.django_db
def test_remembered_negotiation_answers_like_drf_each_time(client):
    SiteFactory(slug="saat-kulesi", location=Point(27.1287, 38.4189, srid=4326))
    for _attempt in range(2):
        default = client.get(NEARBY)
        plain = client.get(NEARBY, HTTP_ACCEPT="application/json")
        refused = client.get(NEARBY, HTTP_ACCEPT="text/csv")
        bad_format = client.get(NEARBY + "&format=xml")
        assert default.status_code == plain.status_code == 200
        assert default["Content-Type"] == "application/geo+json"
        assert plain["Content-Type"] == "application/json"
        assert default.content == plain.content
        assert refused.status_code == 406
        assert refused["Content-Type"] == "application/problem+json"
        assert bad_format.status_code == 400
        assert [error["parameter"] for error in bad_format.json()["errors"]] == ["format"]


def _stop(**changes) -> StopOnPath:
    values = {
        "order": 2,
        "site": "kemeralti",
        "name": {"tr": "Kemeraltı", "en": "Kemeraltı Bazaar"},
        "dwell_min": 20,
        "trigger_radius_m": 40,
        "along_m": 1234.5678,
        "distance_m": 17.04,
        "inside_zone": False,
        "bearing_deg": 91.3,
    }
    return StopOnPath(**{**values, **changes})


class _Progress:
    distance_along_m = 1000.04


@pytest.mark.parametrize("language", ["tr", "en", "de"])
@pytest.mark.parametrize("changes", [{}, {"name": {"en": "Only English"}}, {"along_m": 3.0}])
def test_stops_as_plain_dicts_equal_their_documented_serializers(language, changes):
    stop = _stop(**changes)
    context = {"language": language, "progress": _Progress()}

    current = stop_on_path(stop, language)
    following = stop_on_path(stop, language, along_from_m=_Progress.distance_along_m)

    assert json.dumps(current) == json.dumps(StopOnPathSerializer(stop, context=context).data)
    assert json.dumps(following) == json.dumps(NextStopSerializer(stop, context=context).data)
    assert stop_on_path(None, language) is None
