"""Live-server tests here flush the test database when they end. Django
reloads the rows migrations seeded (periods, groups) only at the start of
the next serialized_rollback test, so the tests after a live test would
find no periods; they are reloaded right after the flush instead."""

import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if item.get_closest_marker("live") is None:
        return
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(contents)
