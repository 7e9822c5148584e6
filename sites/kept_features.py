"""Kept OGC feature texts: each published site's feature, built once by the
same SQL the OGC pages build it with, so a page of 1,000 features reads
~550 KB of ready text instead of building it (6× less work in PostgreSQL at
100k sites: bench/README.md, ADR 0010 item 18).

    keep_site_features(ids=None)   build the missing or stale texts (all, or of these sites)
    keep_after_commit(site_id)     the same for one site once the writing transaction commits
    kept_page_sql(offset, limit)   a page of every site from the kept texts alone, while all are there

Readers never depend on a text being here (sites.selectors_export reads
`kept_feature.text` only when its digest is the current expression's, else
builds the feature), so a write that skipped this module costs speed, never
correctness: the triggers of migration 0010 delete a site's text in the
statement that changes it.

The race those triggers' advisory lock closes: a filler's INSERT … SELECT
reads the sites in its snapshot; a writer that commits after that snapshot
but deletes before the filler's rows are committed would leave a text built
from the old row. The filler holds FILL_LOCK exclusively while it builds,
and every deleting trigger first takes it shared: a writer that got there
first has committed before the filler's snapshot, and a writer that comes
later waits for the filler's commit and then deletes what it wrote.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from sites.models import KeptFeature, Site
from sites.selectors import PUBLISHED_COUNT_SQL
from sites.selectors_export import KEPT_DIGEST, built_feature_expression

# pg_advisory_xact_lock key: any bigint no other lock of this database uses.
FILL_LOCK = 7_546_930_210_013
TABLE = KeptFeature._meta.db_table
COUNT_TABLE = "sites_site_kept_feature_count"  # kept texts per digest (migration 0011)


def keep_site_features(site_ids: Iterable[int] | None = None) -> int:
    """Build the kept text of every published site (or of `site_ids`) that
    has none, or one from another expression; returns how many were written."""
    sites = Site.objects.published()
    if site_ids is not None:
        sites = sites.filter(pk__in=list(site_ids))
    fresh = KeptFeature.objects.filter(site=OuterRef("pk"), digest=KEPT_DIGEST)
    rows = sites.filter(~Exists(fresh)).order_by().annotate(text=built_feature_expression())
    select, params = rows.values_list("pk", "text", "slug").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FILL_LOCK])
        cursor.execute(
            f"INSERT INTO {TABLE} (site_id, text, slug, digest) SELECT kept.*, %s FROM ({select}) AS kept"
            " ON CONFLICT (site_id) DO UPDATE"
            " SET text = EXCLUDED.text, slug = EXCLUDED.slug, digest = EXCLUDED.digest",
            [KEPT_DIGEST, *params],
        )
        return cursor.rowcount


# True while every published site has its current kept text, read in the
# statement's own snapshot: kept texts are of published sites only, one a
# site, so the digest's counter (migration 0011) equal to the published
# count means all of them are there.
KEPT_PAGES_COMPLETE_SQL = (
    f"COALESCE((SELECT n FROM {COUNT_TABLE} WHERE digest = '{KEPT_DIGEST}') = {PUBLISHED_COUNT_SQL}, false)"
)


def kept_page_sql(*, offset: int, limit: int) -> str:
    """A page of every published site in slug order read from the kept
    texts alone, the published count beside each row: one index range scan
    of (digest, slug), 6 → 2 ms for 1,000 at 100k sites (bench/README.md,
    session 9). It holds rows only while KEPT_PAGES_COMPLETE_SQL is true
    (PostgreSQL tests it once, before the scan); a reader joins it with the
    page built from the sites under the opposite condition."""
    return (
        f"SELECT k.text, {PUBLISHED_COUNT_SQL} FROM {TABLE} k"
        f" WHERE k.digest = '{KEPT_DIGEST}' AND {KEPT_PAGES_COMPLETE_SQL}"
        f" ORDER BY k.slug LIMIT {int(limit)} OFFSET {int(offset)}"
    )


def _keep_pending() -> None:
    pending = getattr(connection, "kept_feature_pending", set())
    connection.kept_feature_pending = set()
    if None in pending:  # some site's, unknown which
        keep_site_features()
    elif pending:
        keep_site_features(pending)


def keep_after_commit(site_id: int | None) -> None:
    """Build `site_id`'s text (None: every missing one) after the current
    transaction commits (at once outside one). Ids of one transaction are
    built together by its first callback; ids of a rolled-back one are built
    with the next commit's (harmless: a text is built from what is committed
    then). `robust`: the write has committed, so a failed build is logged,
    not raised at the editor."""
    pending = getattr(connection, "kept_feature_pending", None)
    if pending is None:
        pending = connection.kept_feature_pending = set()
    pending.add(site_id)
    transaction.on_commit(_keep_pending, robust=True)
