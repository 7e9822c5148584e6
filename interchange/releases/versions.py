"""Release numbers: YYYY.MM (2026.12), one release a month at most, each
newer than the last. The number names a folder, so the rule also keeps any
path out (`../x` is not a version)."""

import re

VERSION = re.compile(r"(?P<year>\d{4})\.(?P<month>\d{2})")


class ReleaseError(Exception):
    """A release cannot be made as asked (bad version, exists, older, busy)."""


def parse_version(value: str) -> str:
    """`value` if it is a valid release number, else ReleaseError saying why."""
    match = VERSION.fullmatch(value or "")
    if match is None:
        msg = f"{value!r} is not a release version: use YYYY.MM, e.g. 2026.12."
        raise ReleaseError(msg)
    if not 1 <= int(match["month"]) <= 12:
        msg = f"{value!r}: the month must be 01 to 12."
        raise ReleaseError(msg)
    if int(match["year"]) < 2000:
        msg = f"{value!r}: the year must be 2000 or later."
        raise ReleaseError(msg)
    return value


def is_version(value: str) -> bool:
    try:
        parse_version(value)
    except ReleaseError:
        return False
    return True
