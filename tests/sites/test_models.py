"""The database itself refuses what must never be stored."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from sites.models import Site
from tests.factories import SiteFactory


def run_sql(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_rejects_a_start_year_after_the_end_year(db):
    site = SiteFactory()

    with pytest.raises(IntegrityError, match="site_start_year_not_after_end_year"):
        run_sql("UPDATE sites_site SET start_year = 1900, end_year = 1800 WHERE id = %s", [site.pk])


def test_full_clean_names_the_bad_years_in_words(db):
    site = SiteFactory.build(start_year=1900, end_year=1800)

    with pytest.raises(ValidationError, match="start year must not be after the end year"):
        site.full_clean()


def test_database_accepts_bce_years_as_negative_numbers(db):
    site = SiteFactory(start_year=-6500, end_year=-4000)

    site.refresh_from_db()

    assert (site.start_year, site.end_year) == (-6500, -4000)


@pytest.mark.parametrize(
    ("case", "ewkt"),
    [
        ("bow-tie polygon", "SRID=4326;POLYGON((27.1 38.4,27.2 38.5,27.2 38.4,27.1 38.5,27.1 38.4))"),
        ("empty", "SRID=4326;POLYGON EMPTY"),
        ("point is not a shape", "SRID=4326;POINT(27.1 38.4)"),
    ],
)
def test_database_rejects_an_invalid_shape(db, case, ewkt):
    site = SiteFactory()

    with pytest.raises(IntegrityError, match="site_shape_valid"):
        run_sql("UPDATE sites_site SET shape = %s::geography WHERE id = %s", [ewkt, site.pk])


@pytest.mark.parametrize(
    "ewkt", ["SRID=3857;POINT(3020000 4640000)", "SRID=4258;POINT(27.1287 38.4189)"]
)
def test_database_rejects_a_location_in_another_srid(db, ewkt):
    site = SiteFactory()

    with pytest.raises(DatabaseError, match=r"(?i)srid|lon/lat"):
        run_sql("UPDATE sites_site SET location = %s::geometry WHERE id = %s", [ewkt, site.pk])


def test_database_rejects_a_3d_location(db):
    site = SiteFactory()

    with pytest.raises(DatabaseError, match=r"(?i)dimension"):
        run_sql(
            "UPDATE sites_site SET location = 'SRID=4326;POINT Z(27.1 38.4 10)'::geography WHERE id = %s",
            [site.pk],
        )


def test_database_rejects_a_duplicate_slug(db):
    SiteFactory(slug="kadifekale")

    with pytest.raises(IntegrityError), transaction.atomic():
        SiteFactory(slug="kadifekale")


def test_database_rejects_a_kind_outside_the_vocabulary(db):
    site = SiteFactory()

    with pytest.raises(IntegrityError, match="site_kind_known"):
        run_sql("UPDATE sites_site SET kind = 'spaceport' WHERE id = %s", [site.pk])


def test_full_clean_hints_when_latitude_and_longitude_look_swapped(db):
    site = SiteFactory.build(location=Point(38.4189, 27.1287, srid=4326))

    with pytest.raises(ValidationError) as error:
        site.full_clean()

    assert "look swapped" in str(error.value.message_dict["location"])


def test_full_clean_rejects_unknown_languages_in_names(db):
    site = SiteFactory.build(name={"tr": "Hisar Camii", "xx": "?"})

    with pytest.raises(ValidationError) as error:
        site.full_clean()

    assert "xx" in str(error.value.message_dict["name"])


def test_saving_a_site_keeps_a_folded_search_text(db):
    site = SiteFactory(name={"tr": "Kızlarağası Hanı", "en": "Kızlarağası Han"})

    assert "kizlaragasi hani" in Site.objects.get(pk=site.pk).search_text


def test_every_geometry_column_has_a_spatial_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attname
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND format_type(a.atttypid, a.atttypmod) LIKE 'geography%%'
              AND c.relkind = 'r' AND c.relname NOT LIKE '%%historical%%'
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_am am ON am.oid = ic.relam
                WHERE i.indrelid = c.oid AND a.attnum = ANY(i.indkey) AND am.amname = 'gist')
            """
        )
        unindexed = cursor.fetchall()

    assert unindexed == []
