"""Kept OGC feature texts (sites.kept_features, migration 0010): an OGC page
reads them only while they are what building the feature would give, so a
page is byte for byte the same kept or built, and no write, however made,
leaves a stale or unpublished text on it."""

import re

import psycopg
import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import DatabaseError, connection, transaction

from editorial.vocabularies import Status
from sites.kept_features import FILL_LOCK, keep_site_features
from sites.models import KeptFeature, Period, Site
from sites.selectors_export import KEPT_DIGEST, built_feature_expression
from sites.services import period_vocabulary_sync, site_update
from tests.factories import KONAK, SiteFactory

PAGE = "/ogc/collections/sites/items?limit=1000"


def page(client, query: str = "") -> bytes:
    body = client.get(PAGE + query).content
    return re.sub(rb'"timeStamp": "[^"]*"', b"", body)  # the one part that moves between requests


def built(site: Site) -> str:
    shaped = Site.objects.filter(pk=site.pk).annotate(t=built_feature_expression())
    return shaped.values_list("t", flat=True)[0]


def forget_kept_features() -> None:
    KeptFeature.objects.all().delete()


def kept_ids() -> set[int]:
    return set(KeptFeature.objects.values_list("site_id", flat=True))


@pytest.fixture
def sites(db):
    square = Polygon.from_bbox((KONAK[0], KONAK[1], KONAK[0] + 0.001, KONAK[1] + 0.001))
    square.srid = 4326
    return [
        SiteFactory(periods=["ottoman", "roman"], start_year=-100, description={"en": "Baths"}),
        SiteFactory(shape=square, accessibility={"wheelchair": "limited", "note": None}),
        SiteFactory(name={"tr": 'Çeşme "İki" \\ ğüş', "en": "", "de": None}, address="Kemeraltı"),
        SiteFactory(periods=["hellenistic"], end_year=1922, wikidata="Q1", pleiades="550595"),
    ]


def test_a_page_is_the_same_kept_or_built(client, sites):
    draft = SiteFactory(status=Status.DRAFT)
    for query in ("", "&bbox=26.9,38.3,27.4,38.6", "&filter=kind='monument'", "&sortby=-slug&limit=2"):
        forget_kept_features()
        built_page = page(client, query)
        assert keep_site_features() == len(sites)
        assert page(client, query) == built_page
    assert draft.pk not in kept_ids()  # only published sites are kept
    assert KeptFeature.objects.get(site=sites[0]).text == built(sites[0])


def test_only_missing_or_stale_texts_are_written(sites):
    assert keep_site_features() == 4
    assert keep_site_features() == 0
    KeptFeature.objects.filter(site=sites[1]).update(digest="from-old-code")
    assert keep_site_features([sites[0].pk, sites[1].pk]) == 1
    assert KeptFeature.objects.get(site=sites[1]).digest == KEPT_DIGEST


def test_a_current_text_is_what_the_page_serves(client, sites):
    """The page above being equal proves nothing if the kept text is never
    read: a current text, whatever it holds, is served as it is."""
    keep_site_features()
    KeptFeature.objects.filter(site=sites[2]).update(text='{"type": "Feature", "id": "read-from-the-table"}')

    assert b"read-from-the-table" in page(client)


def test_a_text_from_other_code_is_never_served(client, sites):
    keep_site_features()
    KeptFeature.objects.filter(site=sites[2]).update(digest="from-old-code", text='{"stale": true}')

    assert b"stale" not in page(client)
    assert built(sites[2]).encode() in page(client)


def test_any_write_of_a_site_forgets_its_text_in_the_same_statement(sites):
    keep_site_features()
    Site.objects.filter(pk=sites[0].pk).update(district="Konak")  # SQL, no ORM signal
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sites_site SET location = ST_MakePoint(27.1, 38.4) WHERE id = %s", [sites[1].pk]
        )
    assert kept_ids() == {sites[2].pk, sites[3].pk}

    Site.objects.filter(pk=sites[2].pk).delete()
    assert kept_ids() == {sites[3].pk}


def test_a_change_of_periods_forgets_the_site_text(sites):
    keep_site_features()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sites_site_periods (site_id, period_id) VALUES (%s, 'roman')", [sites[1].pk]
        )
        cursor.execute("DELETE FROM sites_site_periods WHERE site_id = %s", [sites[3].pk])
    assert kept_ids() == {sites[0].pk, sites[2].pk}


def test_reordering_the_period_vocabulary_forgets_every_text(sites):
    keep_site_features()
    period_vocabulary_sync()  # the seed loader re-saving the same vocabulary
    assert len(kept_ids()) == 4

    Period.objects.filter(code="roman").update(sort_order=99)
    assert kept_ids() == set()


def test_unpublishing_leaves_no_text_and_the_page_without_the_site(client, sites):
    keep_site_features()
    Site.objects.filter(pk=sites[0].pk).update(status=Status.DRAFT)

    assert sites[0].pk not in kept_ids()
    assert sites[0].slug.encode() not in page(client)


def test_an_edit_through_the_service_is_kept_again_after_commit(
    sites, superuser, django_capture_on_commit_callbacks
):
    keep_site_features()
    with django_capture_on_commit_callbacks(execute=True):
        site_update(site=sites[0], user=superuser, district="Alsancak", periods=["byzantine"])
        assert sites[0].pk not in kept_ids()  # forgotten in the writing transaction

    text = KeptFeature.objects.get(site=sites[0]).text
    assert text == built(sites[0])
    assert '"district":"Alsancak"' in text
    assert '"periods":["byzantine"]' in text


def test_a_new_published_site_is_kept_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        site = SiteFactory(location=Point(27.0, 38.4, srid=4326), periods=["roman"])
    assert KeptFeature.objects.get(site=site).text == built(site)


# Committed rows (a second session must see the lock, not the test's open
# transaction, which would hold the shared side already); serialized_rollback
# as the suite's other transactional tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_waits_for_a_filler_holding_the_lock():
    """The trigger's shared lock against a filler's exclusive one (the race in
    sites/kept_features.py): while another session holds the fill lock, a
    write of a site cannot finish its statement."""
    site = SiteFactory()
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
        password=settings["PASSWORD"], dbname=settings["NAME"], autocommit=True,
    )  # fmt: skip
    try:
        other.execute("SET lock_timeout = '5s'")
        other.execute("SELECT pg_advisory_lock(%s)", [FILL_LOCK])
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            with pytest.raises(DatabaseError, match="lock timeout"):
                Site.objects.filter(pk=site.pk).update(district="Konak")
        other.execute("SELECT pg_advisory_unlock(%s)", [FILL_LOCK])
        Site.objects.filter(pk=site.pk).update(district="Konak")  # and goes on once it is free
    finally:
        other.close()
