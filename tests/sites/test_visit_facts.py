"""Visit facts from enrichment.csv: hours and accessibility with their source
and date, every researched row kept as provenance, unknowns said as null."""

import pytest
from django.core.exceptions import ValidationError

from sites.models import Site
from tests.factories import SiteFactory


def test_seeded_opening_hours_carry_their_source_and_date(izmir):
    han = Site.objects.get(slug="kizlaragasi-han")

    assert han.opening_hours == "Mo-Sa 09:00-20:00"
    assert "acikveri.bizizmir.com" in han.opening_hours_source
    assert han.opening_hours_as_of.isoformat() == "2025-08-23"


def test_conflicting_and_alternative_rows_stay_visible_as_provenance(izmir):
    church = Site.objects.get(slug="st-polycarp-church")

    alternatives = [row for row in church.provenance if row["field"] == "address_alt"]
    assert len(alternatives) == 1
    assert "conflicting" in alternatives[0]["note"]
    assert church.address != alternatives[0]["value"]  # the municipality's address stays the address


def test_a_site_with_no_researched_hours_or_access_facts_says_unknown(izmir, client):
    properties = client.get("/api/v1/sites/konak-clock-tower").json()["properties"]

    assert properties["opening_hours"] is None
    assert properties["opening_hours_as_of"] is None
    assert properties["accessibility"] == {
        "step_free_access": None,
        "seating": None,
        "toilets": None,
        "surface": None,
        "notes": None,
    }
    assert properties["access_note"] is None


def test_the_detail_shows_researched_accessibility_and_access_notes(izmir, client):
    agora = client.get("/api/v1/sites/smyrna-agora").json()["properties"]
    synagogue = client.get("/api/v1/sites/portuguese-synagogue", {"lang": "de"}).json()["properties"]

    assert agora["accessibility"]["step_free_access"] is False
    assert agora["accessibility_as_of"] == "2012-11-04"
    assert "stairs" in agora["accessibility"]["notes"]
    assert "prior permission" in synagogue["access_note"]  # English, the only language found


@pytest.mark.parametrize("hours", ["Mo-Sa 9-25", "every day", "Mo-Fr 09:00-"])
def test_opening_hours_outside_osm_syntax_are_refused(db, hours):
    site = SiteFactory.build(opening_hours=hours)

    with pytest.raises(ValidationError) as refused:
        site.full_clean()

    assert "opening_hours" in refused.value.message_dict
