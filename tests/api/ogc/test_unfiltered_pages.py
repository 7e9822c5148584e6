"""The page of every feature runs a query compiled once per shape
(api.ogc.items.every_site_page): it must serve exactly what the queryset
built per request serves, for every shape and window, kept texts or not,
and never an unpublished site."""

import pytest
from django.http import QueryDict

from api.ogc.http import get_collection
from api.ogc.items import every_site_page
from api.ogc.query import items_query
from editorial.vocabularies import Status
from sites.kept_features import keep_site_features
from tests.factories import SiteFactory

SHAPES = [
    "",
    "crs=http://www.opengis.net/def/crs/EPSG/0/4326",
    "crs=http://www.opengis.net/def/crs/EPSG/0/3857",
    "properties=name,periods",
    "skipGeometry=true",
]
WINDOWS = [(0, 1000), (0, 2), (2, 2), (4, 10), (9, 5)]


def built_per_request(shape: str, offset: int, limit: int) -> list[str]:
    found = get_collection("sites")
    query = items_query(found, QueryDict(shape))
    texts = query.rows.annotate(feature_text=found.expression(query.options))
    return list(texts.values_list("feature_text", flat=True)[offset : offset + limit])


@pytest.fixture
def sites(db):
    published = [SiteFactory(periods=["roman"], description={"en": "Baths"}) for _ in range(4)]
    SiteFactory(status=Status.DRAFT)
    return published


@pytest.mark.parametrize("kept", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_compiled_page_serves_what_the_queryset_serves(sites, shape, kept):
    if kept:
        keep_site_features()
    options = items_query(get_collection("sites"), QueryDict(shape)).options

    for offset, limit in WINDOWS:
        page, total = every_site_page(options, offset=offset, limit=limit)
        assert page == built_per_request(shape, offset, limit), (offset, limit)
    assert total == (len(sites) if page else None)


def test_the_compiled_page_sees_new_and_unpublished_sites(client, sites):
    first = client.get("/ogc/collections/sites/items").json()
    sites[0].status = Status.DRAFT
    sites[0].save()
    SiteFactory(slug="zz-new")

    later = client.get("/ogc/collections/sites/items").json()

    assert first["numberReturned"] == 4
    ids = [feature["id"] for feature in later["features"]]
    assert sites[0].slug not in ids
    assert "zz-new" in ids
