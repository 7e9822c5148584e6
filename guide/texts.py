"""The guide's own words (buttons, labels, messages) in tr, en and de, and
the formatting of years, durations and sizes.

The words live in static/guide/strings.json, which the browser loads too:
the server-rendered page and the script that enhances it say the same thing.
Content (names, narratives) comes from the API in the negotiated language.
"""

import json
import math
from functools import cache
from pathlib import Path

from django.conf import settings

from api.i18n import parse_accept_language

STRINGS_FILE = Path(__file__).parent / "static" / "guide" / "strings.json"
LANGUAGE_COOKIE = "guide_lang"
DEFAULT_LANGUAGE = "tr"


@cache
def all_strings() -> dict[str, dict[str, str]]:
    return json.loads(STRINGS_FILE.read_text(encoding="utf-8"))


def guide_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code in all_strings()]


def strings(language: str) -> dict[str, str]:
    return all_strings()[language]


def chosen_language(request, path_language: str | None = None) -> str:
    """The URL's language, else the one remembered in the cookie, else the
    browser's (Accept-Language), else Turkish."""
    languages = guide_languages()
    for candidate in (path_language, request.COOKIES.get(LANGUAGE_COOKIE)):
        if candidate in languages:
            return candidate
    for code in parse_accept_language(request.headers.get("Accept-Language", "")):
        if code in languages:
            return code
    return DEFAULT_LANGUAGE


def year_text(year: int, words: dict[str, str]) -> str:
    return f"{-year} {words['bce']}" if year < 0 else str(year)


def year_span_text(start: int | None, end: int | None, words: dict[str, str]) -> str:
    """6500–4000 BCE, 200 BCE – 400, 1744 – today; '' when undated."""
    if start is None:
        return ""
    if end is None:
        return f"{year_text(start, words)} – {words['today']}"
    if start < 0 and end < 0:
        return f"{-start}–{-end} {words['bce']}"
    if start >= 0:
        return f"{start}–{end}"
    return f"{year_text(start, words)} – {end} {words['ce']}"


def duration_text(minutes: int | None, words: dict[str, str]) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return words["minutes"].format(n=rest)
    return words["hours_minutes"].format(h=hours, m=rest)


def length_text(metres: float | None, words: dict[str, str]) -> str:
    if metres is None:
        return ""
    if metres < 1000:
        return words["m"].format(n=round(metres))
    return words["km"].format(n=f"{metres / 1000:.1f}")


def size_text(size_bytes: int) -> str:
    if size_bytes < 1024 * 1024:
        return f"{math.ceil(size_bytes / 1024)} KB"
    return f"{size_bytes / 1024 / 1024:.1f} MB"
