"""The published-site counter stays exact through every kind of write."""

from django.db import connection

from editorial.vocabularies import Status
from sites.models import Site
from sites.selectors import published_site_count
from tests.factories import SiteFactory


def true_count() -> int:
    return Site.objects.published().count()


def test_the_counter_follows_inserts_updates_and_deletes(db):
    start = published_site_count()
    sites = SiteFactory.create_batch(3)
    SiteFactory(status=Status.DRAFT)
    assert published_site_count() == start + 3

    Site.objects.filter(pk=sites[0].pk).update(status=Status.ARCHIVED)
    Site.objects.filter(pk=sites[1].pk).update(district="Konak")  # no status change
    sites[2].delete()

    assert published_site_count() == start + 1 == true_count()


def test_the_counter_follows_a_bulk_insert_of_many_rows(db):
    Site.objects.bulk_create(SiteFactory.build_batch(250))

    assert published_site_count() == true_count()


def test_a_truncate_empties_the_counter(db):
    SiteFactory.create_batch(2)

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
        cursor.execute("TRUNCATE sites_site CASCADE")

    assert published_site_count() == 0


def test_the_unfiltered_ogc_sites_page_reads_the_counter_not_a_count(db, client, django_assert_num_queries):
    SiteFactory.create_batch(3)

    with django_assert_num_queries(1) as captured:  # the page, the counter row in the same statement
        page = client.get("/ogc/collections/sites/items", {"limit": 2}).json()

    assert page["numberMatched"] == 3
    assert "sites_site_status_count" in captured.captured_queries[0]["sql"]
    assert "count(" not in captured.captured_queries[0]["sql"].lower()


def test_the_unfiltered_count_is_fresh_right_after_a_write(db, client):
    SiteFactory.create_batch(3)
    client.get("/ogc/collections/sites/items", {"limit": 2})

    SiteFactory()
    page = client.get("/ogc/collections/sites/items", {"limit": 2}).json()

    assert page["numberMatched"] == 4
