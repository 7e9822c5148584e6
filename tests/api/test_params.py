"""api.params: every bad query value is a ParameterError naming its parameter."""

import pytest
from django.http import QueryDict
from rest_framework.test import APIRequestFactory

from api.exceptions import ParameterError
from api.params import NearbyParams, ProgressParams, SiteListParams


def _parse(params_class, query: str) -> dict:
    request = APIRequestFactory().get("/x?" + query)
    request.query_params = QueryDict(query)
    return params_class.parse(request)


def _error_parameters(params_class, query: str) -> set[str]:
    with pytest.raises(ParameterError) as caught:
        _parse(params_class, query)
    return set(caught.value.detail)


def test_site_list_params_have_defaults_and_parse_a_bbox_into_a_polygon():
    data = _parse(SiteListParams, "bbox=27.1,38.4,27.2,38.5")

    assert data["limit"] == 100
    assert data["offset"] == 0
    assert data["bbox"].extent == (27.1, 38.4, 27.2, 38.5)


def test_an_empty_optional_parameter_counts_as_absent():
    data = _parse(SiteListParams, "bbox=&kind=")

    assert "bbox" not in data
    assert "kind" not in data


def test_q_is_folded_for_accent_insensitive_search():
    data = _parse(SiteListParams, "q=K%C4%B1zlara%C4%9Fas%C4%B1")

    assert data["q"] == "kizlaragasi"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=27.2,38.4,27.1,38.5", "bbox"),  # west > east
        ("bbox=27.1,38.5,27.2,38.4", "bbox"),  # south > north
        ("bbox=nan,38.4,27.2,38.5", "bbox"),
        ("bbox=27.1,38.4,inf,38.5", "bbox"),
        ("bbox=-200,38.4,27.2,38.5", "bbox"),
        ("bbox=27.1,-91,27.2,38.5", "bbox"),
        ("bbox=20,30,29,39", "bbox"),  # too large
        ("kind=palace", "kind"),
        ("period=jurassic", "period"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=1000001", "offset"),
        ("q=%20%20", "q"),
        ("q=" + "a" * 101, "q"),
        ("route=not%20a%20slug", "route"),
    ],
)
def test_bad_site_list_parameters_are_named(query, parameter):
    assert _error_parameters(SiteListParams, query) == {parameter}


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ("", {"lat", "lon"}),
        ("lat=abc&lon=27", {"lat"}),
        ("lat=38&lon=", {"lon"}),
        ("lat=NaN&lon=27", {"lat"}),
        ("lat=38&lon=Infinity", {"lon"}),
        ("lat=38&lon=-inf", {"lon"}),
        ("lat=91&lon=27", {"lat"}),
        ("lat=38&lon=181", {"lon"}),
        ("lat=38&lon=27&radius=0", {"radius"}),
        ("lat=38&lon=27&radius=-5", {"radius"}),
        ("lat=38&lon=27&radius=50001", {"radius"}),
        ("lat=38&lon=27&radius=nan", {"radius"}),
        ("lat=38&lon=27&limit=0", {"limit"}),
        ("lat=38&lon=27&limit=101", {"limit"}),
    ],
)
def test_bad_nearby_parameters_are_named(query, parameters):
    assert _error_parameters(NearbyParams, query) == parameters


def test_nearby_params_default_radius_and_build_a_point():
    data = _parse(NearbyParams, "lat=38.42&lon=27.13")

    assert data["radius"] == 1000
    assert data["limit"] == 20
    assert data["point"].coords == (27.13, 38.42)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("lat=38&lon=27&accuracy=-1", "accuracy"), ("lat=38&lon=27&accuracy=nan", "accuracy")],
)
def test_bad_progress_accuracy_is_named(query, parameter):
    assert _error_parameters(ProgressParams, query) == {parameter}


@pytest.mark.parametrize(
    ("query", "parameters"),
    [
        ("lat=0&lon=120", {"lat", "lon"}),  # UTM 35N cannot project it: was a 500
        ("lat=38.4&lon=120", {"lon"}),
        ("lat=60&lon=27.1", {"lat"}),
    ],
)
def test_progress_positions_outside_the_service_area_are_named(query, parameters):
    assert _error_parameters(ProgressParams, query) == parameters


@pytest.mark.parametrize("lang", ["xx", "", "a" * 500, "tr\x00", "Ω≈ç√"])
def test_lang_is_never_an_error(lang):
    from urllib.parse import urlencode

    data = _parse(SiteListParams, urlencode({"lang": lang}))

    assert data["limit"] == 100


def test_a_zero_area_bbox_is_accepted_as_the_schema_allows():
    """One bbox rule (geodata.params.parse_bbox): a line or a point is a box."""
    data = _parse(SiteListParams, "bbox=27.1,38.4,27.1,38.5")

    assert data["bbox"].extent == (27.1, 38.4, 27.1, 38.5)


def test_the_tourist_bbox_message_is_the_one_bbox_rule_s():
    from geodata.params import BBOX_FORMAT

    with pytest.raises(ParameterError) as caught:
        _parse(SiteListParams, "bbox=1,2,3,4,5")

    assert [str(message) for message in caught.value.detail["bbox"]] == [BBOX_FORMAT]


def test_the_span_limit_is_told_apart_from_the_bbox_rule():
    with pytest.raises(ParameterError) as caught:
        _parse(SiteListParams, "bbox=20,30,29,39")

    assert "at most 5 degrees" in str(caught.value.detail["bbox"][0])
