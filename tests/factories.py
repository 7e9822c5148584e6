"""factory_boy factories: each test builds the data it needs."""

import factory
from django.contrib.gis.geos import LineString, Point

from editorial.vocabularies import Kind, Status
from routes.models import Mode, Route, RouteStop, Theme
from sites.models import Site

# Konak Square; factories place things around it, inside the service area.
KONAK = (27.1287, 38.4189)
# Sites step 11 m east each, up to SITE_STEPS, then back west, and so on: a
# sequence runs on for the whole session, and without turning back a test's
# default sites ended up east of the boxes tests filter by once ~700 sites had
# been made before it (the outcome hung on which tests ran first). Turning
# back keeps consecutive sites 11 m apart, as before.
SITE_STEPS = 500


def _site_step(n: int) -> int:
    step = n % (2 * SITE_STEPS)
    return step if step <= SITE_STEPS else 2 * SITE_STEPS - step


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: {"tr": f"Yer {n}", "en": f"Site {n}", "de": f"Ort {n}"})
    kind = Kind.MONUMENT
    location = factory.Sequence(lambda n: Point(KONAK[0] + _site_step(n) * 0.0001, KONAK[1], srid=4326))
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


# --- photos (issue 4, part B) -------------------------------------------------
# Image bytes are built in memory with Pillow, so tests carry no binary files.


def image_bytes(
    width: int = 400,
    height: int = 300,
    *,
    format: str = "JPEG",
    orientation: int | None = None,
    gps: tuple[float, float] | None = None,
) -> bytes:
    """A small real image; `gps` is (lon, lat) written as EXIF GPS."""
    import io

    from PIL import Image

    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        lon, lat = gps

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))

        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
    image = Image.new("RGB", (width, height), (180, 120, 60))
    image.paste((20, 40, 200), (0, 0, width // 2, height // 2))  # a mark to see rotation by
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def uploaded(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


class PhotoFactory(factory.django.DjangoModelFactory):
    """A draft photo with a real JPEG original (renditions not built)."""

    class Meta:
        model = "sites.Photo"

    site = factory.SubFactory(SiteFactory)
    original = factory.django.ImageField(width=400, height=300, format="JPEG", filename="photo.jpg")
    caption = factory.LazyFunction(lambda: {"tr": "Kemeraltı", "en": "Kemeraltı"})
    author = "A. Yılmaz"
    license = "CC-BY-4.0"
    status = Status.DRAFT


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `role="editor"|"reviewer"` puts them in that group,
    `role="admin"` makes a superuser."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if not create or not extracted:
            return
        if extracted == "admin":
            self.is_superuser = self.is_staff = True
            self.save(update_fields=["is_superuser", "is_staff"])
        else:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
