"""The public content version: every write to what a public response shows
bumps it, once per statement, in the writing transaction."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from editorial.content_version import content_version
from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from sites.models import Period, Photo, Site
from tests.factories import PhotoFactory, RouteStopFactory, SiteFactory


@pytest.fixture
def stop(db):
    return RouteStopFactory()


WRITES = {
    "site edited": lambda stop: Site.objects.filter(pk=stop.site_id).update(opening_hours="Mo 09:00-12:00"),
    "site archived": lambda stop: Site.objects.filter(pk=stop.site_id).update(status=Status.ARCHIVED),
    "site added": lambda stop: SiteFactory(location=Point(27.13, 38.42, srid=4326)),
    "period added to a site": lambda stop: stop.site.periods.add(Period.objects.first()),
    "period renamed": lambda stop: Period.objects.filter(pk=Period.objects.first().pk).update(
        name={"tr": "Yeni", "en": "New"}
    ),
    "photo added": lambda stop: PhotoFactory(site=stop.site),
    "route edited": lambda stop: Route.objects.filter(pk=stop.route_id).update(duration_min=90),
    "stop removed": lambda stop: RouteStop.objects.filter(pk=stop.pk).delete(),
    "stop moved": lambda stop: RouteStop.objects.filter(pk=stop.pk).update(trigger_radius_m=80),
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_write_to_public_content_bumps_the_version(stop, write):
    before = content_version()

    WRITES[write](stop)

    assert content_version() > before


def test_a_bulk_statement_bumps_it_once_not_per_row(db):
    SiteFactory.create_batch(3)
    before = content_version()

    Site.objects.update(district="Konak")

    assert content_version() == before + 1


def test_photo_table_writes_are_tracked_even_when_nothing_matches(db):
    # Statement-level: the trigger fires even for zero rows (a harmless miss).
    before = content_version()

    Photo.objects.filter(pk=-1).update(author="x")

    assert content_version() == before + 1


# serialized_rollback, as the suite's other transactional tests: a plain flush
# here would make the next serialized one restore content types twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_version_survives_a_truncate_of_the_tracked_tables():
    # Test flushes TRUNCATE every model table: the counter keeps counting.
    before = content_version()

    with connection.cursor() as cursor:
        # Stop audio references the stops: both go in one statement, and
        # each table's trigger counts once.
        cursor.execute("TRUNCATE routes_stopaudio, routes_routestop")

    assert content_version() == before + 2
