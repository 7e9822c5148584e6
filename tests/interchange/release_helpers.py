"""Helpers for release tests: build one into the test's folder (the
`releases_dir` and `published_routes` fixtures are in conftest.py)."""

from datetime import UTC, datetime

from interchange.releases.build import build_release

RELEASED_AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def make_release(version: str = "2026.12", **options):
    return build_release(version, now=options.pop("now", RELEASED_AT), **options)
