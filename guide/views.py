"""The tourist's guide: server-rendered screens that a script enhances
(static/guide/js/). Every screen has a shareable URL that renders on the
server in the language of its prefix (/tr/, /en/, /de/), with a title and a
description for link previews; "/" is the home in the remembered or the
browser's language."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from editorial.vocabularies import PERIODS
from guide import pages
from guide.modules import screen_modules
from guide.public_api import PublicApiError, api_get
from guide.texts import LANGUAGE_COOKIE, chosen_language, guide_languages, size_text, strings

GUIDE_STATIC = Path(__file__).parent / "static" / "guide"
SERVICE_WORKER = GUIDE_STATIC / "sw.js"
# The guide runs under a strict policy: scripts and styles are files from
# this origin (ES modules, no inline code, no eval); MapLibre's worker is a
# module file from this origin too, so `worker-src 'self'` suffices (no
# blob:); its stylesheet's control icons are data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Before a route's package is first built the home estimates its size from
# the route's documents: cheap for a city's few routes, not for hundreds.
PACKAGE_SIZES_UP_TO = 20
# One year: the cookie only remembers the language chosen.
LANGUAGE_COOKIE_AGE_S = 365 * 24 * 3600


def _context(request, language: str, screen: str, **extra) -> dict:
    rest = request.path.split("/", 2)[2] if request.path.count("/") >= 2 else ""
    if request.path.strip("/") in guide_languages() or request.path == "/":
        rest = ""
    return {
        "lang": language,
        "t": strings(language),
        "screen": screen,
        "modules": screen_modules(screen),
        "languages": [
            {"code": code, "name": name, "href": f"/{code}/{rest}"}
            for code, name in settings.LANGUAGES
            if code in guide_languages()
        ],
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "license": settings.HERITAGE_DATA_LICENSE,
        "basemap_style": getattr(settings, "HERITAGE_GUIDE_BASEMAP_STYLE", ""),
        **extra,
    }


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Language"] = context["lang"]
    response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if request.path != "/" and status == 200:
        # Remember the language of the page the tourist chose or followed.
        response.set_cookie(
            LANGUAGE_COOKIE, context["lang"], max_age=LANGUAGE_COOKIE_AGE_S, samesite="Lax"
        )
    return response


def home(request, lang: str | None = None):
    language = chosen_language(request, lang)
    words = strings(language)
    routes = api_get(request, "/api/v1/routes", lang=language).data["features"]
    summaries = []
    for feature in routes:
        summary = pages.route_summary(feature, words)
        # The size the route list announces (the package built for this
        # language); before its first build, the estimate from the documents.
        summary["package_bytes_here"] = (summary.get("package_bytes") or {}).get(language)
        if summary["package_bytes_here"]:
            summary["package_size_text"] = size_text(summary["package_bytes_here"])
        elif len(routes) <= PACKAGE_SIZES_UP_TO:
            summary["package_size_text"] = pages.package_size_text(request, summary["slug"], language)
        summaries.append(summary)
    context = _context(
        request, language, "home", routes=summaries, title=words["app_name"], description=words["tagline"]
    )
    return _page(request, "guide/home.html", context)


def route(request, lang: str, slug: str):
    language = chosen_language(request, lang)
    words = strings(language)
    try:
        bundle, _size = pages.route_documents(request, slug, language)
    except PublicApiError as error:
        return not_found(request, language=language, error=error)
    summary = pages.route_summary(bundle["route"]["features"][0], words)
    context = _context(
        request,
        language,
        "route",
        route=summary,
        stops=pages.stop_rows(bundle, words),
        periods=_periods(language),
        title=f"{summary['name']} — {words['app_name']}",
        description=summary.get("summary") or words["tagline"],
    )
    return _page(request, "guide/route.html", context)


def stop(request, lang: str, slug: str, site: str):
    language = chosen_language(request, lang)
    words = strings(language)
    try:
        bundle, _size = pages.route_documents(request, slug, language)
    except PublicApiError as error:
        return not_found(request, language=language, error=error)
    rows = pages.stop_rows(bundle, words)
    index = next((i for i, row in enumerate(rows) if row["site"] == site), None)
    if index is None:
        return not_found(request, language=language)
    row = rows[index]
    context = _context(
        request,
        language,
        "stop",
        route=pages.route_summary(bundle["route"]["features"][0], words),
        stop=row,
        previous=rows[index - 1] if index > 0 else None,
        next=rows[index + 1] if index + 1 < len(rows) else None,
        title=f"{row['order']}. {row['name']} — {words['app_name']}",
        description=(row.get("narrative") or row["site_detail"].get("description") or "")[:200],
    )
    return _page(request, "guide/stop.html", context)


def city_map(request, lang: str):
    language = chosen_language(request, lang)
    words = strings(language)
    context = _context(
        request,
        language,
        "city",
        periods=_periods(language),
        title=f"{words['city_map']} — {words['app_name']}",
        description=words["time_travel"],
    )
    return _page(request, "guide/city.html", context)


def _periods(language: str) -> list[dict]:
    """The period vocabulary with years, for the time-travel labels."""
    index = {"tr": 1, "en": 2, "de": 3}.get(language, 2)
    return [
        {"code": row[0], "name": row[index], "start_year": row[4], "end_year": row[5]} for row in PERIODS
    ]


def not_found(request, exception=None, *, language: str | None = None, error=None):
    """The friendly 404, in the language of the path, cookie or browser."""
    path_language = request.path.strip("/").split("/")[0]
    language = language or chosen_language(request, path_language)
    words = strings(language)
    context = _context(
        request, language, "not-found", title=words["not_found_title"], description=words["not_found_text"]
    )
    return _page(request, "guide/404.html", context, status=404)


@cache
def shell_version() -> str:
    """A digest of the guide's static files (the map library's by its
    lock): a deploy that changes any of them changes sw.js, so phones
    install the new worker, which drops the old shell cache."""
    digest = hashlib.sha256()
    for path in sorted(GUIDE_STATIC.rglob("*")):
        if path.is_file() and "vendor" not in path.parts:
            digest.update(path.read_bytes())
    lock = Path(settings.BASE_DIR) / "package-lock.json"
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()[:12]


def service_worker(request):
    """The service worker at /sw.js, so its scope is the whole guide."""
    script = SERVICE_WORKER.read_bytes().replace(b"guide-shell-v1", f"guide-shell-{shell_version()}".encode())
    response = HttpResponse(script, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
