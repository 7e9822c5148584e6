"""QueryTemplate: compiled once, run with new values, the same rows as the ORM."""

import pytest
from django.db import DataError, connection

from editorial.query_templates import QueryTemplate
from sites.models import Site
from tests.factories import SiteFactory


def test_a_template_runs_with_new_values_like_the_queryset_would(db):
    SiteFactory(slug="a", start_year=100)
    SiteFactory(slug="b", start_year=900)
    template = QueryTemplate(
        Site.objects.filter(start_year__gte=-987654321).values_list("slug"), since=-987654321
    )

    assert template.rows(since=500) == list(Site.objects.filter(start_year__gte=500).values_list("slug"))
    assert template.rows(since=0) == [("a",), ("b",)]


def test_a_stand_in_missing_from_the_parameters_is_an_error(db):
    with pytest.raises(ValueError, match="since"):
        QueryTemplate(Site.objects.filter(start_year__gte=5).values_list("slug"), since=-987654321)


def test_the_statement_is_the_text_the_client_side_cursor_would_send(db):
    queryset = Site.objects.filter(start_year__gte=-987654321, slug__contains="50%").values_list("slug")
    template = QueryTemplate(queryset, since=-987654321)
    # Constants are bound once (the % of the LIKE pattern among them), new values per run.
    expected = connection.ops.compose_sql(
        *Site.objects.filter(start_year__gte=7, slug__contains="50%")
        .values_list("slug")
        .query.sql_with_params()
    )

    assert template.statement(since=7) == expected


def test_a_hostile_value_is_quoted_not_run(db):
    SiteFactory(slug="a")
    template = QueryTemplate(
        Site.objects.filter(slug="stand-in-slug-0x1").values_list("slug"), slug="stand-in-slug-0x1"
    )

    for hostile in ["a' OR '1'='1", "a%s%%", "a\\'; DROP TABLE sites_site; --", "a\x01"]:
        assert template.rows(slug=hostile) == []
    assert template.rows(slug="a") == [("a",)]
    assert Site.objects.count() == 1


def test_a_value_postgresql_cannot_hold_is_djangos_data_error(db):
    template = QueryTemplate(
        Site.objects.filter(slug="stand-in-slug-0x1").values_list("slug"), slug="stand-in-slug-0x1"
    )

    with pytest.raises(DataError):
        template.rows(slug="a\x00b")
