"""Tests here that need committed rows (a gunicorn or a command in another
process reads them) run with transaction=True and serialized_rollback, as
the project's other live tests do; the flush after each would leave the
rows migrations seed (periods, groups) missing for the tests that follow,
so they are reloaded right after it (as tests/api/ogc/conftest.py does)."""

import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
