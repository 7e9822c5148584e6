"""The public content version: one number that changes whenever anything a
public response shows may have changed (docs/adr/0010-hot-paths-and-caches.md).

    content_version() -> int        the current version, one indexed read
    ContentVersion()                the same, as an expression inside another query

Statement-level triggers on every table whose rows a public response shows
(sites, their periods and photos, routes and their stops) add one to it in
the writing transaction, so it changes exactly when the write commits: a
reader that reads the version first and the data second never pairs an old
body with a new version. A draft edit bumps it too (simpler than knowing
which columns are public, and always safe: a cache merely misses).

How to key a cache by it: put the version in the cache key or the URL
(`f"bundle:{slug}:{lang}:v{version}"`, `/api/v1/tiles/v{version}/…`), read it
*before* the data, and never delete entries: a new version makes old ones
unreachable. A domain app tracks a table with a migration running
`track_table_sql(table)` (and `untrack_table_sql(table)` to reverse).
"""

from django.db import connection
from django.db.models import BigIntegerField, Func

TABLE = "editorial_content_version"

# The table, its one row and the trigger function (editorial migration 0001).
# An upsert, not an UPDATE: a TRUNCATE elsewhere (test flushes) cannot leave
# the counter without its row, and the version only ever grows.
INSTALL_SQL = f"""
CREATE TABLE {TABLE} (
  id smallint PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL
);
INSERT INTO {TABLE} VALUES (1, 1);

CREATE FUNCTION {TABLE}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} AS c (id, version) VALUES (1, 2)
    ON CONFLICT (id) DO UPDATE SET version = c.version + 1;
  RETURN NULL;
END $$;
"""

UNINSTALL_SQL = f"DROP FUNCTION {TABLE}_bump(); DROP TABLE {TABLE};"


def track_table_sql(table: str) -> str:
    """SQL for a migration: every INSERT, UPDATE, DELETE or TRUNCATE
    statement on `table` bumps the version once (not once per row)."""
    return (
        f"CREATE TRIGGER {table}_content_version AFTER INSERT OR UPDATE OR DELETE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_bump();"
        f" CREATE TRIGGER {table}_content_version_truncate AFTER TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_bump();"
    )


def untrack_table_sql(table: str) -> str:
    return (
        f"DROP TRIGGER {table}_content_version ON {table};"
        f" DROP TRIGGER {table}_content_version_truncate ON {table};"
    )


def content_version() -> int:
    """The current public content version (a positive integer that only grows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


# The version as an SQL scalar, for statements built by hand (geodata.tiles).
VERSION_SQL = f"(SELECT version FROM {TABLE} WHERE id = 1)"


class ContentVersion(Func):
    """The version as a column of another query: `.annotate(content_version=
    ContentVersion())` reads it in the same statement, so from the same
    snapshot as the rows (an InitPlan: once per statement)."""

    template = VERSION_SQL
    output_field = BigIntegerField()

    def __init__(self):
        super().__init__()
