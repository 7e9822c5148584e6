"""The trigger-kept cluster cells (sites migration 0008) stay exact: every
zoom's cells add up to the published sites, wherever they are written from."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from editorial.vocabularies import Status
from sites.models import Site, SiteTileCell
from sites.selectors_tiles import CLUSTER_BELOW_ZOOM
from tests.factories import KONAK, SiteFactory


def recount() -> dict:
    """The cells as computed from scratch, to compare with the kept ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT z, floor((ST_X(m) + 20037508.342789244) / 40075016.685578488 * 2 ^ (z + 5))::int,
                      floor((20037508.342789244 - ST_Y(m)) / 40075016.685578488 * 2 ^ (z + 5))::int,
                      count(*), min(id)
               FROM sites_site, ST_Transform(location::geometry, 3857) AS m, generate_series(0, %s) AS z
               WHERE status = 'published' GROUP BY 1, 2, 3""",
            [CLUSTER_BELOW_ZOOM - 1],
        )
        return {(z, cx, cy): (n, site if n == 1 else None) for z, cx, cy, n, site in cursor.fetchall()}


def kept() -> dict:
    cells = SiteTileCell.objects.filter(n__gt=0).values_list("zoom", "cx", "cy", "n", "site_id")
    return {(z, cx, cy): (n, site) for z, cx, cy, n, site in cells}


@pytest.fixture
def sites(db):
    return [SiteFactory(location=Point(KONAK[0] + i * 0.003, KONAK[1], srid=4326)) for i in range(6)]


def test_cells_follow_inserts_moves_status_changes_and_deletes(sites):
    assert kept() == recount()

    Site.objects.filter(pk=sites[0].pk).update(location=Point(27.2, 38.45, srid=4326))
    Site.objects.filter(pk__in=[sites[1].pk, sites[2].pk]).update(status=Status.DRAFT)
    Site.objects.filter(pk=sites[3].pk).update(district="Konak")  # neither moved nor (un)published
    Site.objects.filter(pk=sites[4].pk).delete()
    assert kept() == recount()

    Site.objects.filter(pk=sites[1].pk).update(status=Status.PUBLISHED)
    assert kept() == recount()


def test_a_cell_with_one_site_names_it(sites):
    far = SiteFactory(location=Point(27.0, 38.3, srid=4326))

    deepest = SiteTileCell.objects.filter(zoom=CLUSTER_BELOW_ZOOM - 1, site_id=far.pk)

    assert deepest.get().n == 1


# serialized_rollback, as the suite's other transactional tests: a plain flush
# here would make the next serialized one restore content types twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_truncate_empties_the_cells():
    SiteFactory()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE sites_site CASCADE")

    assert not SiteTileCell.objects.filter(n__gt=0).exists()
