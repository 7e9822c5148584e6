"""Photo checks, storage and renditions (sites/photos.py) on real PostGIS."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from PIL import Image

from editorial import workflow
from editorial.vocabularies import Status
from sites.models import Photo
from sites.photos import (
    MAX_UPLOAD_BYTES,
    PhotoRejected,
    photo_apply_suggested_location,
    photo_create,
    photo_renditions,
)
from tests.factories import SiteFactory, image_bytes, uploaded


def files_in(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width × height pixels, with no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n%%EndComments\n"
    b"newpath 0 0 moveto 100 100 lineto stroke\nshowpage\n%%EOF\n"
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'

HOSTILE = {
    "png_claiming_100000_squared": (png_claiming(100_000, 100_000), 400),
    "png_claiming_41_megapixels": (png_claiming(8000, 5125), 400),
    "eps_renamed_jpg": (EPS, 400),
    "svg_renamed_jpg": (SVG, 400),
    "truncated_jpeg": (image_bytes(800, 600)[:2000], 400),
    "empty_file": (b"", 400),
    "over_20_mb": (image_bytes(50, 50) + b"\0" * MAX_UPLOAD_BYTES, 413),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_uploads_are_rejected_and_leave_no_row_and_no_file(db, settings, case):
    data, status = HOSTILE[case]
    site = SiteFactory()

    with pytest.raises(PhotoRejected) as caught:
        photo_create(site=site, upload=uploaded(data, "holiday.jpg"))

    assert caught.value.status == status
    assert "file" in caught.value.message_dict
    assert Photo.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_a_photo_is_stored_under_a_generated_name_with_three_webp_renditions(db, settings):
    site = SiteFactory()

    photo = photo_create(site=site, upload=uploaded(image_bytes(2000, 1000), "../../etc/passwd.jpg"))

    assert photo.status == Status.DRAFT
    assert (photo.width, photo.height) == (2000, 1000)
    assert "passwd" not in photo.original.name
    assert photo.original.name.startswith(f"photos/originals/{site.pk}/")
    assert set(photo.renditions) == {"320", "800", "1600"}
    for key, path in photo.renditions.items():
        assert path.startswith("photos/renditions/")
        rendition = Image.open(Path(settings.MEDIA_ROOT) / path)
        assert rendition.format == "WEBP"
        assert rendition.width == int(key)
        assert rendition.height == int(key) // 2


def test_renditions_are_never_wider_than_the_original(db, settings):
    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes(500, 250, format="PNG"), "a.png"))

    media = Path(settings.MEDIA_ROOT)
    widths = {key: Image.open(media / path).width for key, path in photo.renditions.items()}

    assert widths == {"320": 320, "800": 500, "1600": 500}
    assert photo.renditions["800"] == photo.renditions["1600"]  # one file, not two copies


def test_exif_orientation_is_applied_and_no_metadata_survives_in_renditions(db, settings):
    data = image_bytes(400, 200, orientation=6, gps=(27.1287, 38.4189))

    photo = photo_create(site=SiteFactory(), upload=uploaded(data))

    rendition = Image.open(Path(settings.MEDIA_ROOT) / photo.renditions["320"])
    assert rendition.height > rendition.width  # rotated 90°: portrait now
    assert (photo.width, photo.height) == (200, 400)  # the upright size, as served
    assert len(rendition.getexif()) == 0
    assert "exif" not in rendition.info
    assert "xmp" not in rendition.info


def test_the_exif_gps_position_is_only_a_suggestion(db):
    site = SiteFactory()
    before = site.location.coords

    photo = photo_create(site=site, upload=uploaded(image_bytes(gps=(27.14, 38.42))))

    site.refresh_from_db()
    assert site.location.coords == before
    assert photo.suggested_location.x == pytest.approx(27.14, abs=1e-5)
    assert photo.suggested_location.y == pytest.approx(38.42, abs=1e-5)


def test_a_photo_without_gps_has_no_suggested_location(db):
    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes(format="WEBP"), "x.webp"))

    assert photo.suggested_location is None


def test_an_editor_can_apply_the_suggested_location_to_a_draft_site(db):
    editor = User.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name=workflow.EDITOR_GROUP)[0])
    site = SiteFactory(status=Status.DRAFT)
    photo = photo_create(site=site, upload=uploaded(image_bytes(gps=(27.14, 38.42))))

    photo_apply_suggested_location(photo=photo, user=editor)

    site.refresh_from_db()
    assert site.location.coords == pytest.approx((27.14, 38.42), abs=1e-5)
    assert site.history.first().history_user == editor


def test_renditions_are_generated_once_and_then_read_from_the_row(db, django_assert_num_queries):
    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))
    first = dict(photo.renditions)

    with django_assert_num_queries(0):
        again = photo_renditions(photo)

    assert again == first


def test_missing_rendition_files_are_rebuilt(db, settings):
    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))
    (Path(settings.MEDIA_ROOT) / photo.renditions["320"]).unlink()

    rebuilt = photo_renditions(photo)

    assert (Path(settings.MEDIA_ROOT) / rebuilt["320"]).is_file()
    photo.refresh_from_db()
    assert photo.renditions == rebuilt


def test_a_photo_without_credits_cannot_be_published(db):
    reviewer = User.objects.create_user("rev", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=workflow.REVIEWER_GROUP)[0])
    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))

    with pytest.raises(ValidationError):
        workflow.transition(photo, to_status=Status.PUBLISHED, user=reviewer)

    photo.refresh_from_db()
    assert photo.status == Status.DRAFT


def test_a_photo_with_caption_author_and_licence_can_be_published(db):
    reviewer = User.objects.create_user("rev", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=workflow.REVIEWER_GROUP)[0])
    photo = photo_create(
        site=SiteFactory(),
        upload=uploaded(image_bytes()),
        caption={"tr": "Saat Kulesi"},
        author="A. Yılmaz",
        license="CC-BY-4.0",
    )

    workflow.transition(photo, to_status=Status.PUBLISHED, user=reviewer)

    photo.refresh_from_db()
    assert photo.status == Status.PUBLISHED


def test_a_caption_in_an_unknown_language_is_refused_and_nothing_is_written(db, settings):
    with pytest.raises(ValidationError) as caught:
        photo_create(site=SiteFactory(), upload=uploaded(image_bytes()), caption={"xx": "?"})

    assert "caption" in caught.value.message_dict
    assert Photo.objects.count() == 0
    assert files_in(settings.MEDIA_ROOT) == []


def test_image_bytes_helper_really_writes_gps():
    image = Image.open(io.BytesIO(image_bytes(gps=(27.0, 38.5))))

    assert image.getexif().get_ifd(0x8825)[1] == "N"


def test_a_large_rotated_jpeg_gets_upright_renditions_of_the_right_widths(db, settings):
    data = image_bytes(3000, 2000, orientation=6)  # stored landscape, shown portrait

    photo = photo_create(site=SiteFactory(), upload=uploaded(data))

    media = Path(settings.MEDIA_ROOT)
    sizes = {key: Image.open(media / path).size for key, path in photo.renditions.items()}
    assert sizes == {"320": (320, 480), "800": (800, 1200), "1600": (1600, 2400)}
