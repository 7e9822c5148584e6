"""The change log behind the public change feed (GET /api/v1/changes,
docs/adr/0012-change-feed-and-route-packages.md).

Row triggers on the public tables append (kind, key) to one log table in the
writing transaction, with that transaction's id (`xid8`). A cursor is a
PostgreSQL snapshot, not a row number: a page holds the log rows whose
transaction is visible in the reader's snapshot and was not in the cursor's.
So a transaction that took a lower row number but committed after a higher
one is still delivered on the next read (the trap of `updated_at` and plain
sequence cursors), and nothing is delivered twice across settled cursors.

The kernel knows no domain: an app tracks a table with a migration running
`log_rows_trigger_sql` (its own rows) and `log_cascade_trigger_sql` (rows
whose visibility flips with a parent's status). What a (kind, key) is now,
published or gone, is asked of the caller (`kinds`, see interchange.changes).
"""

import json
import re
from dataclasses import dataclass

from django.core import signing
from django.db import connection

TABLE = "editorial_change_log"
HORIZON = "editorial_change_log_horizon"
FUNCTION = "editorial_log_change"

INSTALL_SQL = f"""
CREATE TABLE {TABLE} (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  key text NOT NULL
);
CREATE INDEX {TABLE}_xid ON {TABLE} (xid);
CREATE INDEX {TABLE}_at ON {TABLE} (at);
-- Log rows of transactions below this id may have been pruned.
CREATE TABLE {HORIZON} (id smallint PRIMARY KEY CHECK (id = 1), xid xid8 NOT NULL);
INSERT INTO {HORIZON} VALUES (1, '0');

CREATE FUNCTION {FUNCTION}(change_kind text, change_key text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO {TABLE} (kind, key) VALUES (change_kind, change_key);
$$;
"""

UNINSTALL_SQL = f"DROP FUNCTION {FUNCTION}(text, text); DROP TABLE {HORIZON}; DROP TABLE {TABLE};"

PUBLISHED = "'published'"
# pg_snapshot's text form: xmin:xmax:xip,xip,…
SNAPSHOT = re.compile(r"\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20})*)?")


def log_rows_trigger_sql(table: str, kind: str, *, key: str, when: str = "true") -> str:
    """A row trigger logging (kind, key) for the old and the new row of every
    INSERT, UPDATE and DELETE on `table` for which `when` holds. `key` and
    `when` are SQL over `{row}` (OLD or NEW), e.g. key="{row}.slug",
    when="{row}.status = 'published'": a row never public is never logged."""
    name = f"{table}_change_log"
    old_key, new_key = key.format(row="OLD"), key.format(row="NEW")
    old_when, new_when = when.format(row="OLD"), when.format(row="NEW")
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND ({old_when}) THEN PERFORM {FUNCTION}('{kind}', {old_key}); END IF;
  IF TG_OP <> 'DELETE' AND ({new_when})
     AND (TG_OP = 'INSERT' OR NOT ({old_when}) OR {old_key} IS DISTINCT FROM {new_key}) THEN
    PERFORM {FUNCTION}('{kind}', {new_key});
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def log_cascade_trigger_sql(parent: str, name: str, kind: str, *, keys: str) -> str:
    """When a `parent` row is published or withdrawn, log every child whose
    visibility flips with it: `keys` selects their keys (SQL over NEW).
    Unconditional over the children on purpose: a condition on another row's
    status would race with a concurrent write to that row."""
    function = f"{parent}_{name}_change_log"
    return f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (kind, key) SELECT '{kind}', child.key FROM ({keys}) AS child(key);
  RETURN NULL;
END $$;
CREATE TRIGGER {function} AFTER UPDATE OF status ON {parent} FOR EACH ROW
  WHEN ((OLD.status = {PUBLISHED}) IS DISTINCT FROM (NEW.status = {PUBLISHED}))
  EXECUTE FUNCTION {function}();
"""


def log_parent_trigger_sql(table: str, name: str, kind: str, *, keys: str, when: str = "true") -> str:
    """A row trigger on `table` logging the parent whose public
    representation shows its rows (a site's photo list, a route's stops):
    `keys` selects the parent keys from `{row}` (OLD or NEW), for rows for
    which `when` holds. Parents never public should be left out by `keys`."""
    function = f"{table}_{name}_change_log"
    parts = []
    for row in ("OLD", "NEW"):
        parts.append(
            f"IF TG_OP <> '{'INSERT' if row == 'OLD' else 'DELETE'}' AND ({when.format(row=row)}) THEN\n"
            f"    INSERT INTO {TABLE} (kind, key) SELECT '{kind}', parent.key FROM ({keys.format(row=row)})"
            " AS parent(key);\n  END IF;"
        )
    body = "\n  ".join(parts)
    return f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {body}
  RETURN NULL;
END $$;
CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {function}();
"""


def drop_trigger_sql(table: str, function: str) -> str:
    return f"DROP TRIGGER {function} ON {table}; DROP FUNCTION {function}();"


class MalformedCursor(ValueError):
    pass


class CursorExpired(Exception):
    """The cursor is older than the retained history."""


@dataclass(frozen=True)
class Cursor:
    """Deliver what committed after `seen` and up to `target` (None: now),
    after log row `after` (paging inside one target)."""

    seen: str
    target: str | None = None
    after: int = 0

    SALT = "heritage.changes.v1"

    def encode(self) -> str:
        payload = [self.seen] if self.target is None else [self.seen, self.target, self.after]
        return signing.dumps(payload, salt=self.SALT, compress=True)

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            payload = signing.loads(text, salt=cls.SALT)
        except (signing.BadSignature, ValueError, UnicodeError) as error:
            raise MalformedCursor from error
        if not isinstance(payload, list) or len(payload) not in (1, 3):
            raise MalformedCursor
        snapshots = [payload[0]] if len(payload) == 1 else payload[:2]
        if not all(isinstance(s, str) and SNAPSHOT.fullmatch(s) for s in snapshots):
            raise MalformedCursor
        if len(payload) == 1:
            return cls(seen=payload[0])
        if not isinstance(payload[2], int) or payload[2] < 0:
            raise MalformedCursor
        return cls(seen=payload[0], target=payload[1], after=payload[2])


@dataclass(frozen=True)
class Change:
    id: int
    kind: str
    key: str
    current: dict | None  # what the caller's kind SQL says it is now; None: gone


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    next: Cursor
    has_more: bool


def current_cursor() -> Cursor:
    """A cursor naming now: a feed read from it holds what commits later."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return Cursor(seen=cursor.fetchone()[0])


def _current_sql(kinds: dict[str, str]) -> str:
    """CASE over the kinds: each a scalar subquery giving a jsonb for a
    public entity with key `{key}`, or NULL when it is not public (any more)."""
    branches = " ".join(
        f"WHEN '{kind}' THEN {sql.format(key='page.key')}" for kind, sql in sorted(kinds.items())
    )
    return f"CASE page.kind {branches} END"


def changes_since(cursor: Cursor, *, kinds: dict[str, str], limit: int) -> ChangePage:
    """One page of changes after `cursor`, the latest per (kind, key), oldest
    first. Raises CursorExpired when history the cursor needs was pruned.

    One statement, so one snapshot: the horizon check, the page and the next
    cursor's target are read together. (Two statements would let a prune, or
    a commit, fall between them: a page read after rows it needed were
    deleted, or a target taken after a commit the page did not see.)"""
    sql = f"""
    WITH horizon AS (
      SELECT pg_snapshot_xmin(%(seen)s::pg_snapshot) < xid AS expired FROM {HORIZON} WHERE id = 1
    ),
    target AS (SELECT COALESCE(%(target)s::pg_snapshot, pg_current_snapshot()) AS s),
    page AS (
      SELECT log.id, log.kind, log.key FROM {TABLE} log, target, horizon
      WHERE NOT horizon.expired
        AND log.xid >= pg_snapshot_xmin(%(seen)s::pg_snapshot)
        AND NOT pg_visible_in_snapshot(log.xid, %(seen)s::pg_snapshot)
        AND pg_visible_in_snapshot(log.xid, target.s)
        AND log.id > %(after)s
      ORDER BY log.id LIMIT %(limit)s
    )
    SELECT horizon.expired, (SELECT s::text FROM target), page.id, page.kind, page.key,
      {_current_sql(kinds)}
    FROM horizon LEFT JOIN page ON true
    ORDER BY page.id
    """
    params = {"seen": cursor.seen, "target": cursor.target, "after": cursor.after, "limit": limit + 1}
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = db.fetchall()
    expired, target = rows[0][0], rows[0][1]
    if expired:
        raise CursorExpired
    rows = [row[2:] for row in rows if row[2] is not None]
    if not rows:
        return ChangePage([], Cursor(seen=target), has_more=False)
    has_more = len(rows) > limit
    rows = rows[:limit]
    latest: dict[tuple[str, str], Change] = {}
    for row_id, kind, key, current in rows:
        latest.pop((kind, key), None)  # re-inserted: ordered by its latest change
        # Django's psycopg setup hands jsonb over as text.
        latest[(kind, key)] = Change(
            row_id, kind, key, json.loads(current) if isinstance(current, str) else current
        )
    next_cursor = Cursor(cursor.seen, target, rows[-1][0]) if has_more else Cursor(seen=target)
    return ChangePage(list(latest.values()), next_cursor, has_more)


# --- retention ------------------------------------------------------------------
# The log keeps every row of every transaction from the horizon on; a cursor
# whose snapshot could still miss a transaction below it (its xmin is lower)
# is expired. So what a retained cursor reads is exactly what it would have
# read with nothing pruned.

PRUNE_BATCH = 5_000

RAISE_HORIZON_SQL = f"""
WITH cutoff AS (SELECT now() - make_interval(days => %(days)s) AS at),
old AS (SELECT max(xid) AS xid FROM {TABLE}, cutoff WHERE {TABLE}.at < cutoff.at),
kept AS (SELECT min(xid) AS xid FROM {TABLE}, cutoff WHERE {TABLE}.at >= cutoff.at)
UPDATE {HORIZON} h
SET xid = greatest(h.xid, least(kept.xid, (old.xid::text::numeric + 1)::text::xid8))
FROM old, kept
WHERE h.id = 1 AND old.xid IS NOT NULL
RETURNING h.xid::text
"""


def raise_horizon(*, older_than_days: int) -> str | None:
    """Move the horizon past every transaction that logged a row older than
    `older_than_days`, but not past any that logged a younger one (a long
    transaction's early row keeps its later ones). Returns the horizon, or
    None when nothing is that old. Taken before anything is deleted: from
    this commit on, cursors below it are refused rather than served short."""
    with connection.cursor() as db:
        db.execute(RAISE_HORIZON_SQL, {"days": older_than_days})
        row = db.fetchone()
    return row[0] if row else None


def prune(*, older_than_days: int, batch: int = PRUNE_BATCH) -> int:
    """Delete the log rows below the horizon, `batch` at a time (each its
    own short transaction when not inside one: no long lock, no huge WAL
    burst); cursors that still needed them answer 410 from then on. Returns
    how many rows went."""
    horizon = raise_horizon(older_than_days=older_than_days)
    if horizon is None:
        return 0
    total = 0
    while True:
        with connection.cursor() as db:
            db.execute(
                f"""DELETE FROM {TABLE} WHERE id IN (
                      SELECT id FROM {TABLE} WHERE xid < %s::xid8 ORDER BY id LIMIT %s)""",
                [horizon, batch],
            )
            total += db.rowcount
            if db.rowcount < batch:
                return total
