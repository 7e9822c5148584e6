"""The İzmir seed data loads completely, in order, and only once."""

from editorial.vocabularies import GeometryQuality, Status
from routes.models import Route
from routes.seed import load_izmir
from sites.models import Site

OFFICIAL_8500 = [
    "yesilova-hoyuk", "yassitepe-hoyuk", "old-smyrna-bayrakli", "smyrna-agora", "kemeralti-bazaar",
]


def test_izmir_seed_loads_42_sites_and_both_routes(izmir):
    assert Site.objects.count() == 42
    assert set(Route.objects.values_list("slug", flat=True)) == {
        "8500-years-in-one-day",
        "izmir-historical-waterways",
    }
    assert {route.slug: route.stops.count() for route in Route.objects.all()} == {
        "8500-years-in-one-day": 15,
        "izmir-historical-waterways": 15,
    }


def test_8500_years_keeps_the_official_stops_in_official_order(izmir):
    route = Route.objects.get(slug="8500-years-in-one-day")

    official = [s.site.slug for s in route.stops.filter(designation="official").order_by("order")]
    first_five = list(route.stops.order_by("order").values_list("site__slug", flat=True)[:3])

    assert official == OFFICIAL_8500
    assert first_five == OFFICIAL_8500[:3]
    assert route.stops.filter(designation="proposed").count() == 10


def test_waterways_stops_are_all_proposed_and_start_at_kizilcullu(izmir):
    route = Route.objects.get(slug="izmir-historical-waterways")

    stops = list(route.stops.order_by("order").values_list("site__slug", "designation"))

    assert stops[0] == ("kizilcullu-aqueducts", "proposed")
    assert {designation for _slug, designation in stops} == {"proposed"}


def test_seed_publishes_both_routes_the_waterways_one_as_proposed(izmir):
    routes = dict(Route.objects.values_list("slug", "status"))
    designations = dict(Route.objects.values_list("slug", "designation"))

    assert set(routes.values()) == {Status.PUBLISHED}
    assert designations == {"8500-years-in-one-day": "official", "izmir-historical-waterways": "proposed"}


def test_route_paths_and_the_meles_stream_are_marked_schematic(izmir):
    meles = Site.objects.get(slug="meles-river")

    assert set(Route.objects.values_list("path_quality", flat=True)) == {GeometryQuality.SCHEMATIC}
    assert meles.shape.geom_type == "LineString"
    assert meles.geometry_quality == GeometryQuality.SCHEMATIC


def test_seed_sites_carry_periods_years_sources_and_attribution(izmir):
    yesilova = Site.objects.get(slug="yesilova-hoyuk")

    assert sorted(yesilova.periods.values_list("code", flat=True)) == [
        "byzantine", "chalcolithic", "neolithic", "roman",
    ]
    assert (yesilova.start_year, yesilova.end_year) == (-6500, -4000)
    assert yesilova.sources
    assert yesilova.attribution == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert yesilova.location.coords == (27.21385, 38.44174)
    assert Site.objects.filter(attribution="Bizİzmir Açık Veri Portalı (CC BY 4.0)").count() == 39


def test_loading_the_seed_twice_changes_nothing(izmir):
    history_before = Site.history.count()
    updated_before = sorted(Site.objects.values_list("updated_at", flat=True))

    second = load_izmir()

    assert not second.changed
    assert Site.history.count() == history_before
    assert sorted(Site.objects.values_list("updated_at", flat=True)) == updated_before


def test_seed_routes_carry_an_estimated_duration(izmir):
    route = Route.objects.get(slug="8500-years-in-one-day")

    # 15 stops' dwell (at least 15 min each) plus ~16.5 km by bus at 20 km/h.
    assert route.duration_min >= 15 * 15 + 16_000 / 20_000 * 60


def test_every_seed_site_and_stop_has_texts_in_turkish_english_and_german(izmir):
    from routes.models import RouteStop

    sites_missing = [
        site.slug for site in Site.objects.all()
        if not all(site.name.get(lang) and site.description.get(lang) for lang in ("tr", "en", "de"))
    ]
    stops_missing = [
        str(stop) for stop in RouteStop.objects.all()
        if not all(stop.narrative.get(lang) for lang in ("tr", "en", "de"))
    ]

    assert sites_missing == []
    assert stops_missing == []
