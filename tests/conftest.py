"""Shared fixtures. Every test that touches data runs against PostGIS."""

import importlib

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Rows that migrations seed (periods, editorial groups), made present
    again: with --reuse-db a previous run's last transactional test may have
    flushed them, and migrations do not run twice."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from sites.services import period_vocabulary_sync

    groups = importlib.import_module("routes.migrations.0003_editorial_groups")
    wanted = Q()
    for app_label, codename in groups.codenames():
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    with django_db_blocker.unblock():
        period_vocabulary_sync()
        permissions = list(Permission.objects.filter(wanted))
        for name in groups.GROUPS:
            Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Test-only speedup: hashing with PBKDF2 costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_response_cache():
    # Each test rolls its data back, and the content version with it: a body
    # kept by one test could meet the same version number in the next.
    from api.response_cache import response_cache

    kept = response_cache()
    if kept is not None:
        kept.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def izmir(db):
    """The real İzmir seed data (42 sites, both routes), loaded as make run does."""
    from routes.seed import load_izmir

    return load_izmir()
