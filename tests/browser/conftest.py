"""Browser tests run against a live server, so their data must be committed
(a transactional test). After such a test pytest-django flushes every table,
including the rows migrations seed (periods, staff groups); with --reuse-db
the next session would start without them. The hook below reloads the
database's serialized start state after each browser test."""

import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if item.get_closest_marker("browser") is None or blocking_manager_key not in item.config.stash:
        return
    from django.db import connections

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
