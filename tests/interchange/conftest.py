"""Fixtures of the release tests: a releases folder of the test's own, and
the İzmir data with both routes published (a release freezes published ones)."""

import pytest

from editorial.vocabularies import Status
from routes.models import Route


@pytest.fixture
def releases_dir(settings, tmp_path):
    settings.HERITAGE_RELEASES_DIR = tmp_path / "releases"
    return settings.HERITAGE_RELEASES_DIR


@pytest.fixture
def published_routes(izmir):
    Route.objects.update(status=Status.PUBLISHED)
    return izmir
