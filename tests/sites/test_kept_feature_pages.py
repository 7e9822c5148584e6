"""The page of every site read from the kept texts alone (migration 0011,
sites.kept_features.kept_page_sql): it may answer only while every published
site has its current text, so the per-digest counter must stay exact through
every kind of write, and a page must be the same whichever branch served it."""

import re

import pytest
from django.db import connection

from editorial.vocabularies import Status
from sites.kept_features import COUNT_TABLE, KEPT_PAGES_COMPLETE_SQL, keep_site_features
from sites.models import KeptFeature, Period, Site
from sites.selectors_export import KEPT_DIGEST
from tests.factories import SiteFactory

PAGE = "/ogc/collections/sites/items"


def counted() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest, n FROM {COUNT_TABLE} WHERE n <> 0")
        return dict(cursor.fetchall())


def actual() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, count(*) FROM sites_site_kept_feature GROUP BY digest")
        return dict(cursor.fetchall())


def complete() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {KEPT_PAGES_COMPLETE_SQL}")
        return cursor.fetchone()[0]


def slugs(client, **params) -> list[str]:
    return [feature["id"] for feature in client.get(PAGE, {"limit": 1000, **params}).json()["features"]]


def body(client, **params) -> bytes:
    content = client.get(PAGE, {"limit": 1000, **params}).content
    return re.sub(rb'"timeStamp": "[^"]*"', b"", content)


@pytest.fixture
def sites(db):
    published = [SiteFactory(slug=f"site-{n}", periods=["roman"]) for n in range(6)]
    SiteFactory(slug="site-draft", status=Status.DRAFT)
    keep_site_features()
    return published


def test_the_counter_follows_every_kind_of_write(sites):
    assert counted() == actual() == {KEPT_DIGEST: 6}

    Site.objects.filter(pk=sites[0].pk).update(district="Konak")  # the trigger of 0010 deletes
    KeptFeature.objects.filter(site=sites[1]).update(digest="from-old-code")
    assert counted() == actual() == {KEPT_DIGEST: 4, "from-old-code": 1}

    assert keep_site_features() == 2  # one inserted, one upserted over the old digest
    assert counted() == actual() == {KEPT_DIGEST: 6}

    Period.objects.filter(code="roman").update(sort_order=99)  # forgets every text
    assert counted() == actual() == {}

    keep_site_features()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys' checks, first
        cursor.execute("TRUNCATE sites_site_kept_feature")  # as a test flush empties it
    assert counted() == actual() == {}


def test_the_pages_are_complete_only_while_every_published_site_has_its_text(sites):
    assert complete()

    KeptFeature.objects.filter(site=sites[2]).delete()
    assert not complete()
    keep_site_features()
    assert complete()

    KeptFeature.objects.filter(site=sites[2]).update(digest="from-old-code")
    assert not complete()  # a text from other code does not count
    keep_site_features()

    SiteFactory(slug="site-new")  # its text is built after commit, which a test never reaches
    assert not complete()


def test_while_complete_the_page_is_the_kept_texts_alone(client, sites):
    """The kept branch orders by the slug kept with the text, the built one by
    the site's: a slug moved in the kept row alone shows which one answered."""
    KeptFeature.objects.filter(site=sites[0]).update(slug="zz-moved")
    assert slugs(client)[-1] == "site-0"  # the kept branch

    KeptFeature.objects.filter(site=sites[3]).delete()
    assert slugs(client) == [f"site-{n}" for n in range(6)]  # built: a text is missing


def test_a_page_is_the_same_from_either_branch(client, sites):
    windows = [{}, {"limit": 2}, {"limit": 2, "offset": 3}, {"limit": 4, "offset": 5}, {"offset": 9}]
    kept = [body(client, **window) for window in windows]

    KeptFeature.objects.filter(site=sites[5]).delete()
    built = [body(client, **window) for window in windows]

    assert kept == built
    assert b"site-draft" not in b"".join(kept)


def test_an_unpublished_site_leaves_both_branches_at_once(client, sites):
    Site.objects.filter(pk=sites[1].pk).update(status=Status.DRAFT)  # SQL, no ORM signal

    assert complete()  # its text and its count left together
    assert "site-1" not in slugs(client)
    assert client.get(PAGE).json()["numberMatched"] == 5


def test_a_page_is_one_query_kept_or_built(client, sites, django_assert_num_queries):
    for state in ("kept", "built"):
        if state == "built":
            KeptFeature.objects.filter(site=sites[4]).delete()
        with django_assert_num_queries(1):
            page = client.get(PAGE, {"limit": 3}).json()
        assert (page["numberMatched"], page["numberReturned"]) == (6, 3), state
