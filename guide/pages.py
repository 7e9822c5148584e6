"""What each screen shows, shaped from public API documents (see
public_api.py): plain dicts for the templates, already in the page's
language."""

from django.conf import settings
from django.core.files.storage import default_storage

from guide.public_api import api_get
from guide.texts import duration_text, length_text, size_text, year_span_text

ACCESS_FACTS = ("step_free_access", "seating", "toilets")
# The rendition the guide shows and downloads for offline use.
PHOTO_WIDTH = "800"


def route_summary(feature: dict, words: dict) -> dict:
    props = feature["properties"]
    designation = props.get("designation")
    return {
        **props,
        "designation_text": {"official": words["official_route"], "proposed": words["proposed_route"]}.get(
            designation, ""
        ),
        "length_text": length_text(props.get("length_m"), words),
        "duration_text": duration_text(props.get("duration_min"), words),
    }


def period_line(site: dict, words: dict) -> str:
    """"Neolithic, Chalcolithic · 6500–4000 BCE"."""
    names = ", ".join(period["name"] for period in site.get("periods", []))
    span = year_span_text(site.get("start_year"), site.get("end_year"), words)
    return " · ".join(part for part in (names, span) if part)


def access_facts(accessibility: dict, words: dict) -> list[str]:
    facts = [
        f"{words[key]}: {words['yes'] if accessibility[key] else words['no']}"
        for key in ACCESS_FACTS
        if accessibility.get(key) is not None
    ]
    if accessibility.get("surface"):
        facts.append(f"{words['surface']}: {accessibility['surface']}")
    return facts


def photo_src(photo: dict) -> str:
    renditions = photo.get("renditions") or {}
    return renditions.get(PHOTO_WIDTH) or next(iter(renditions.values()), "")


def stop_rows(bundle: dict, words: dict) -> list[dict]:
    """The route's stops in order, each joined with its site's detail."""
    sites = {site["properties"]["slug"]: site["properties"] for site in bundle["sites"]["features"]}
    rows = []
    for feature in bundle["route"]["features"][1:]:
        stop = feature["properties"]
        site = sites.get(stop["site"], {})
        rows.append(
            {
                **stop,
                "coordinates": feature["geometry"]["coordinates"],
                "site_detail": site,
                "period_line": period_line(site, words),
                "dwell_text": duration_text(stop.get("dwell_min"), words),
                "hours": site.get("opening_hours") or words["hours_unknown"],
                "access": access_facts(site.get("accessibility") or {}, words) or [words["access_unknown"]],
                "designation_text": words[f"{stop['designation']}_stop"],
                "photos": [{**photo, "src": photo_src(photo)} for photo in site.get("photos", [])],
            }
        )
    return rows


def route_documents(request, slug: str, language: str) -> tuple[dict, int]:
    """The route (GET /api/v1/routes/{slug}) and its stops' sites (GET
    /api/v1/sites/{slug}): the documents the script reads and the offline
    package holds, shaped {"route": …, "sites": {"features": […]}}; with
    their size in bytes."""
    answer = api_get(request, f"/api/v1/routes/{slug}", lang=language)
    size = answer.size_bytes
    sites = []
    for site in dict.fromkeys(stop["properties"]["site"] for stop in answer.data["features"][1:]):
        detail = api_get(request, f"/api/v1/sites/{site}", lang=language)
        sites.append(detail.data)
        size += detail.size_bytes
    return {"route": answer.data, "sites": {"type": "FeatureCollection", "features": sites}}, size


def photo_bytes(bundle: dict) -> int:
    """Bytes of the photo renditions the offline download stores."""
    total = 0
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    for site in bundle["sites"]["features"]:
        for photo in site["properties"].get("photos", []):
            path = photo_src(photo).split(media_prefix, 1)[-1]
            if path and default_storage.exists(path):
                total += default_storage.size(path)
    return total


def audio_bytes(bundle: dict, language: str) -> int:
    """Bytes of the stops' recorded audio in `language`, which the offline
    download stores (the API says each file's size)."""
    return sum(
        audio.get("bytes") or 0
        for stop in bundle["route"]["features"][1:]
        for audio in stop["properties"].get("audio", [])
        if audio.get("language") == language
    )


def package_size_text(request, slug: str, language: str) -> str:
    """An estimate of the offline package before it is first built: its
    documents plus their photos and audio."""
    bundle, size = route_documents(request, slug, language)
    return size_text(size + photo_bytes(bundle) + audio_bytes(bundle, language))
