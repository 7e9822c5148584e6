"""Shared fixtures. Every test that touches data runs against PostGIS."""

import importlib
import os

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
    # Kept exports per test: a test's rollback takes the content version back,
    # so a file kept by one test could meet the same version in the next.
    settings.HERITAGE_EXPORT_CACHE_DIR = tmp_path / "export-cache"
    settings.HERITAGE_EXPORT_CACHE_MB = 512


# Servers the tests start (gunicorn, runserver) keep no exports, for the same reason.
os.environ["HERITAGE_EXPORT_CACHE_MB"] = "0"


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


@pytest.fixture(autouse=True)
def _abuse_limits_off(settings):
    # The suite makes many requests from one address in seconds; the tests of
    # the limits (tests/reliability/test_abuse_limits.py) switch them on, low.
    settings.HERITAGE_THROTTLE_ENABLED = False
    settings.AXES_ENABLED = False


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    uses = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or uses & {"transactional_db", "live_server"}
        or item.get_closest_marker("browser") is not None
    )


def pytest_collection_modifyitems(items):
    """Every test that commits is a serialized-rollback one. Its flush then
    leaves out post_migrate (which would recreate content types under new
    ids, so that loading the start state back collides with them), and it
    starts from the database's serialized start state."""
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Tests that commit (live servers, browsers, real concurrent
    transactions) end with pytest-django flushing every table, including the
    rows migrations seed (periods, staff groups); with --reuse-db the next
    tests would start without them. The serialized start state is loaded
    back after each such test, so every test starts from the same database
    whatever ran before it."""
    yield
    from pytest_django.plugin import blocking_manager_key

    if not _is_transactional(item) or blocking_manager_key not in item.config.stash:
        return
    from django.db import connections

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
