"""QueryTemplate: compiled once, run with new values, the same rows as the ORM."""

import pytest

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
