"""Shared by the admin tests (tests/sites/test_admin*.py, tests/routes/test_admin*.py):
staff users per role, form bodies, small readers.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages

from editorial import workflow
from editorial.vocabularies import Kind
from routes.models import Route
from sites.models import Site

KONAK = (27.1287, 38.4189)


def staff(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def editor(db):
    return staff("editor", workflow.EDITOR_GROUP)


@pytest.fixture
def reviewer(db):
    return staff("reviewer", workflow.REVIEWER_GROUP)


@pytest.fixture
def superuser(db):
    return staff("root", is_superuser=True)


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def site_form(**overrides) -> dict:
    data = {
        "name_tr": "Yeni Çeşme",
        "name_en": "New Fountain",
        "name_de": "",
        "slug": "yeni-cesme",
        "kind": Kind.FOUNTAIN,
        "location": json.dumps({"type": "Point", "coordinates": [27.13, 38.42]}),
        "shape": "",
        "geometry_quality": "traced",
        "confidence": "medium",
        "district": "Konak",
        "address": "",
        "description_tr": "",
        "description_en": "",
        "description_de": "",
        "opening_hours": "",
        "accessibility": "{}",
        "sources": "[]",
        "wikidata": "",
        "pleiades": "",
        "osm": "",
        "license": "CC-BY-4.0",
        "attribution": "",
        "start_year": "",
        "end_year": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def site_change_form(site: Site, **overrides) -> dict:
    photos = list(site.photos.all())
    data = site_form(
        name_tr=site.name.get("tr", ""),
        name_en=site.name.get("en", ""),
        name_de=site.name.get("de", ""),
        slug=site.slug,
        kind=site.kind,
        location=site.location.geojson,
        district=site.district,
    )
    data["photos-TOTAL_FORMS"] = str(len(photos))
    data["photos-INITIAL_FORMS"] = str(len(photos))
    for index, photo in enumerate(photos):
        data.update(
            {
                f"photos-{index}-id": str(photo.pk),
                f"photos-{index}-site": str(site.pk),
                f"photos-{index}-caption_tr": photo.caption.get("tr", ""),
                f"photos-{index}-caption_en": photo.caption.get("en", ""),
                f"photos-{index}-caption_de": photo.caption.get("de", ""),
                f"photos-{index}-author": photo.author,
                f"photos-{index}-license": photo.license,
                f"photos-{index}-sort_order": str(photo.sort_order),
            }
        )
    data.update(overrides)
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header claiming width × height pixels and no pixel data."""
    import struct
    import zlib

    body = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", len(body)) + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body))
    return b"\x89PNG\r\n\x1a\n" + ihdr


def files_in(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def photo_row(index: int = 0, **overrides) -> dict:
    data = {
        f"photos-{index}-caption_tr": "Çeşme",
        f"photos-{index}-caption_en": "",
        f"photos-{index}-caption_de": "",
        f"photos-{index}-author": "A. Yılmaz",
        f"photos-{index}-license": "CC-BY-4.0",
        f"photos-{index}-sort_order": "0",
    }
    data.update(overrides)
    return data


def route_form(route: Route, stops: list[dict], **overrides) -> dict:
    data = {
        "name_tr": route.name.get("tr", ""),
        "name_en": route.name.get("en", ""),
        "name_de": "",
        "theme": route.theme,
        "modes": ",".join(route.modes),
        "summary_tr": "",
        "summary_en": "",
        "summary_de": "",
        "description_tr": "",
        "description_en": "",
        "description_de": "",
        "path": route.path.geojson,
        "path_quality": route.path_quality,
        "duration_min": "",
        "license": route.license,
        "attribution": "",
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": str(sum(1 for s in stops if s.get("id"))),
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
    }
    for index, stop in enumerate(stops):
        data.update(
            {
                f"stops-{index}-id": str(stop.get("id", "")),
                f"stops-{index}-route": str(route.pk),
                f"stops-{index}-order": str(stop["order"]),
                f"stops-{index}-site": str(stop["site"]),
                f"stops-{index}-designation": "proposed",
                f"stops-{index}-dwell_min": "15",
                f"stops-{index}-trigger_radius_m": "30",
                f"stops-{index}-narrative_tr": "",
                f"stops-{index}-narrative_en": "",
                f"stops-{index}-narrative_de": "",
            }
        )
    data.update(overrides)
    return data
