"""Site photos: check an upload, store it, make the served WebP renditions.

Uploads are hostile until proven otherwise. The checks run cheapest first:

1. size in bytes (over 20 MB → 413) before Pillow sees anything;
2. `Image.open(..., formats=ALLOWED_FORMATS)` reads only the header, and only
   the JPEG/PNG/WebP plugins are tried, so an EPS (which Pillow would hand to
   Ghostscript) or an SVG renamed .jpg is never parsed as such → 400;
3. width × height from the header (over 40 megapixels → 400) before decoding;
4. `verify()` and then a full decode, which catches truncated files → 400.

Only then is anything written. The original is kept under a generated name
(never the client's); the public only ever sees renditions: WebP 320, 800 and
1600 px wide (never upscaled), EXIF orientation applied and all metadata
(EXIF, XMP, ICC comments) dropped. EXIF GPS becomes `suggested_location`,
which an editor may apply to the site; it is never applied silently.
"""

import io
import math
import uuid
import warnings
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from editorial.uploads import UploadRejected
from editorial.vocabularies import Status
from sites.models import Photo, Site

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (320, 800, 1600)
# WebP quality 75 is cwebp's default for photographs; 80 made the same 800 px
# image ~20 % larger (bench/README.md "Offline sync"), paid on every phone
# download for detail a small screen hardly shows. The phone sizes, downloaded
# most and packed into every offline route package, get libwebp's slowest,
# tightest method (6: ~6 % smaller, ~0.25 s per 800 px image at upload); the
# 1600 px one, for desktops, keeps method 4 (6 would triple its ~0.45 s).
RENDITION_QUALITY = 75
PHONE_WIDTH = 800
PHONE_METHOD, DESKTOP_METHOD = 6, 4
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; the
# explicit check below refuses anything over MAX_PIXELS whatever Pillow does.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# A truncated file is an error, not a half-grey picture.
ImageFile.LOAD_TRUNCATED_IMAGES = False

GPS_IFD = 0x8825


class PhotoRejected(UploadRejected):
    default_code = "invalid_image"


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, with what was learnt on the way."""

    data: bytes
    format: str
    width: int
    height: int
    suggested_location: Point | None


def _read_bytes(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PhotoRejected("The photo is larger than 20 MB.", status=413, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRejected("The photo is larger than 20 MB.", status=413, code="too_large")
    if not data:
        raise PhotoRejected("The file is empty.", code="empty")
    return data


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            msg = "The photo has more than 40 megapixels."
            raise PhotoRejected(msg, code="too_many_pixels") from error
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            msg = "The file is not a JPEG, PNG or WebP image."
            raise PhotoRejected(msg, code="unsupported_format") from error


def check_image(upload) -> CheckedImage:
    """Run every check on an uploaded file; raise PhotoRejected or return
    the bytes with their real format, size in pixels and EXIF GPS point."""
    data = _read_bytes(upload)
    header = _open(data)
    if header.format not in ALLOWED_FORMATS:  # defence in depth; formats= already limits it
        msg = "The file is not a JPEG, PNG or WebP image."
        raise PhotoRejected(msg, code="unsupported_format")
    width, height = header.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        msg = f"The photo has {width} × {height} pixels; the limit is 40 megapixels."
        raise PhotoRejected(msg, code="too_many_pixels")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            header.verify()
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            image.load()  # a full decode: truncated data raises here
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as error:
        msg = "The image data is damaged or truncated."
        raise PhotoRejected(msg, code="damaged") from error
    if _exif_orientation(image) in ROTATING_ORIENTATIONS:
        # The size people see (and the renditions have) is the upright one.
        width, height = height, width
    return CheckedImage(
        data=data,
        format=header.format,
        width=width,
        height=height,
        suggested_location=exif_location(image),
    )


def _exif_orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except (TypeError, ValueError, KeyError, AttributeError, SyntaxError, OSError):
        return None


def _degrees(value) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    return degrees + minutes / 60 + seconds / 3600


def exif_location(image: Image.Image) -> Point | None:
    """The EXIF GPS position as a WGS84 point, or None when absent or bogus."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lon = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except (TypeError, ValueError, ZeroDivisionError, KeyError, AttributeError, SyntaxError, OSError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:  # cameras without a fix write zeros
        return None
    return Point(round(lon, 7), round(lat, 7), srid=4326)


def _rendition_bytes(image: Image.Image, width: int) -> bytes:
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    image = image.convert(mode)
    image.info = {}  # no EXIF, XMP or comments can ride along
    buffer = io.BytesIO()
    method = PHONE_METHOD if width <= PHONE_WIDTH else DESKTOP_METHOD
    image.save(buffer, format="WEBP", quality=RENDITION_QUALITY, method=method, exif=b"", xmp=b"")
    return buffer.getvalue()


ROTATING_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height


def _decode_for_renditions(data: bytes) -> Image.Image:
    """The image upright (EXIF orientation applied), decoded no larger than
    the biggest rendition needs: JPEG's draft mode decodes at 1/2, 1/4 or
    1/8 scale directly, several times faster than a full decode."""
    image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    if image.format == "JPEG":
        rotated = image.getexif().get(0x0112) in ROTATING_ORIENTATIONS
        upright_width = image.height if rotated else image.width
        scale = min(1.0, max(RENDITION_WIDTHS) / upright_width)
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image.load()
    return ImageOps.exif_transpose(image)


def make_renditions(data: bytes, *, site_id: int) -> dict[str, str]:
    """Write the WebP renditions of the image `data` and return
    {"320": path, "800": path, "1600": path} (paths relative to MEDIA_ROOT).
    Widths above the original's reuse the largest real size, never upscaled.
    Each size is made from the next larger one (largest first)."""
    source = _decode_for_renditions(data)
    token = uuid.uuid4().hex
    renditions: dict[str, str] = {}
    written: dict[int, str] = {}
    for target in sorted(RENDITION_WIDTHS, reverse=True):
        width = min(target, source.width)
        if width not in written:
            if source.width > width:
                height = max(1, round(source.height * width / source.width))
                source = source.resize((width, height), Image.Resampling.LANCZOS)
            name = f"photos/renditions/{site_id}/{token}-{width}.webp"
            written[width] = default_storage.save(name, ContentFile(_rendition_bytes(source, width)))
        renditions[str(target)] = written[width]
    return dict(sorted(renditions.items(), key=lambda item: int(item[0])))


def photo_renditions(photo: Photo) -> dict[str, str]:
    """The renditions of `photo`, generated once: later calls return the
    stored paths while their files exist."""
    if photo.renditions and all(default_storage.exists(p) for p in photo.renditions.values()):
        return photo.renditions
    with photo.original.open("rb") as handle:
        photo.renditions = make_renditions(handle.read(), site_id=photo.site_id)
    photo.save(update_fields=["renditions", "updated_at"])
    return photo.renditions


def _delete_files(photo: Photo) -> None:
    paths = set((photo.renditions or {}).values())
    if photo.original and photo.original.name:
        paths.add(photo.original.name)
    for path in paths:
        default_storage.delete(path)


def photo_create(
    *,
    site: Site,
    upload,
    user=None,
    caption: dict | None = None,
    author: str = "",
    license: str = "",
    sort_order: int = 0,
) -> Photo:
    """Check `upload`, store it and its renditions, and return the new draft
    Photo. Raises PhotoRejected/ValidationError and then leaves nothing
    behind: no row (one transaction) and no file (removed on the way out)."""
    checked = check_image(upload)
    photo = Photo(
        site=site,
        caption=caption or {},
        author=author,
        license=license,
        sort_order=sort_order,
        status=Status.DRAFT,
        suggested_location=checked.suggested_location,
        created_by=user,
    )
    if user is not None:
        photo._history_user = user
    try:
        with transaction.atomic():
            photo.full_clean(exclude=["original"])
            name = f"{uuid.uuid4().hex}.{EXTENSIONS[checked.format]}"
            photo.original.save(name, ContentFile(checked.data), save=False)
            # Known from the header already; the field's own re-read of a
            # ContentFile yields None.
            photo.width, photo.height = checked.width, checked.height
            photo.renditions = make_renditions(checked.data, site_id=site.pk)
            photo.save()  # once: one history row for the upload
    except BaseException:
        _delete_files(photo)
        raise
    return photo


PHOTO_FIELDS = ("caption", "author", "license", "sort_order")


@transaction.atomic
def photo_update(*, photo: Photo, user, expected_versions=None, **fields) -> Photo:
    """Change a photo's credits or place (its file is fixed; the workflow
    moves its status): lock, role, version, full_clean, save, as for sites."""
    from editorial.versions import check_version, lock, object_version
    from editorial.workflow import require_can_edit
    from sites.services import changed_fields, check_fields

    check_fields(fields, PHOTO_FIELDS, "photo")
    lock(photo)
    require_can_edit(user, photo)
    check_version(object_version(photo), expected_versions)
    changed = changed_fields(photo, fields)
    if not changed:
        return photo
    for name, value in changed.items():
        setattr(photo, name, value)
    photo.full_clean()
    if user is not None:
        photo._history_user = user
    photo.save()
    return photo


def photo_delete(photo: Photo) -> None:
    """Delete a photo for good (a superuser removing an archived photo):
    the row now, its original and renditions once the transaction commits."""
    paths = set((photo.renditions or {}).values())
    if photo.original and photo.original.name:
        paths.add(photo.original.name)
    photo.delete()

    def remove_files():
        for path in paths:
            default_storage.delete(path)

    transaction.on_commit(remove_files)


def photo_apply_suggested_location(*, photo: Photo, user) -> Site:
    """Move the photo's site to the photo's EXIF position (an editor's
    explicit action), through site_update: the same lock, role check,
    validation and history row as any other move of the site."""
    from sites.services import site_update

    if photo.suggested_location is None:
        raise ValidationError({"suggested_location": ["This photo has no GPS position."]})
    site = Site.objects.get(pk=photo.site_id)
    return site_update(site=site, user=user, location=photo.suggested_location)


def photo_url(path: str) -> str:
    return default_storage.url(path)


RENDITIONS_DIR = "photos/renditions/"


def media_path_is_public(path: str) -> bool:
    """Whether anyone may fetch the media file at `path` (relative to
    MEDIA_ROOT): only a rendition of a published photo of a published site.
    Originals (with their EXIF, GPS included) and renditions of draft,
    in-review or archived photos are for staff only. Rendition names are
    random already; this also closes a URL once its photo is unpublished."""
    if not path.startswith(RENDITIONS_DIR) or ".." in path.split("/"):
        return False
    matches = Q()
    for width in RENDITION_WIDTHS:
        matches |= Q(renditions__contains={str(width): path})
    return Photo.objects.filter(matches, status=Status.PUBLISHED, site__status=Status.PUBLISHED).exists()
