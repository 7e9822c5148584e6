"""Shared fixtures. Every test that touches data runs against PostGIS."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Test-only speedup: hashing with PBKDF2 costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def izmir(db):
    """The real İzmir seed data (42 sites, both routes), loaded as make run does."""
    from routes.seed import load_izmir

    return load_izmir()
