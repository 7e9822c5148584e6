"""factory_boy factories: each test builds the data it needs."""

import factory
from django.contrib.gis.geos import LineString, Point

from routes.models import Mode, Route, RouteStop, Theme
from sites.models import Site
from sites.vocabularies import Kind, Status

# Konak Square; factories place things around it, inside the service area.
KONAK = (27.1287, 38.4189)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: {"tr": f"Yer {n}", "en": f"Site {n}", "de": f"Ort {n}"})
    kind = Kind.MONUMENT
    location = factory.Sequence(lambda n: Point(KONAK[0] + n * 0.0001, KONAK[1], srid=4326))
    status = Status.PUBLISHED
    attribution = "Bizİzmir Açık Veri Portalı (CC BY 4.0)"

    @factory.post_generation
    def periods(self, create, extracted, **kwargs):
        if create and extracted:
            self.periods.set(extracted)


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    slug = factory.Sequence(lambda n: f"route-{n}")
    name = factory.Sequence(lambda n: {"tr": f"Rota {n}", "en": f"Route {n}"})
    theme = Theme.HISTORY
    modes = factory.LazyFunction(lambda: [Mode.WALK])
    status = Status.PUBLISHED
    # About 1.1 km due east from Konak along the parallel.
    path = factory.LazyFunction(
        lambda: LineString((KONAK[0], KONAK[1]), (KONAK[0] + 0.0127, KONAK[1]), srid=4326)
    )


class RouteStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteStop

    route = factory.SubFactory(RouteFactory)
    site = factory.SubFactory(SiteFactory)
    order = factory.Sequence(lambda n: n + 1)
