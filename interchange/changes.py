"""The public change feed's domain side: what each kind of change is now.

editorial.change_log records (kind, key) per write and pages by snapshot; here
each kind says, in SQL, whether the entity with that key is public now and
what a client needs to fetch it (a jsonb), or NULL: then the change is a
tombstone (unpublished, archived, deleted, or no longer on a public route).

A new kind (audio, arriving with its own migration) registers itself with
`register_kind` and logs its writes with editorial.change_log's triggers.
"""

from editorial import change_log

PUBLISHED = change_log.PUBLISHED

# Scalar subqueries; `{key}` is the logged key (text).
KINDS: dict[str, str] = {
    "route": f"""(SELECT jsonb_build_object('route', r.slug) FROM routes_route r
                 WHERE r.slug = {{key}} AND r.status = {PUBLISHED})""",
    "site": f"""(SELECT jsonb_build_object('site', s.slug) FROM sites_site s
                WHERE s.slug = {{key}} AND s.status = {PUBLISHED})""",
    "stop": f"""(SELECT jsonb_build_object('route', r.slug, 'site', s.slug, 'order', st."order")
                FROM routes_routestop st JOIN routes_route r ON r.id = st.route_id
                JOIN sites_site s ON s.id = st.site_id
                WHERE st.id = ({{key}})::bigint AND r.status = {PUBLISHED} AND s.status = {PUBLISHED})""",
    "photo": f"""(SELECT jsonb_build_object('site', s.slug) FROM sites_photo p
                 JOIN sites_site s ON s.id = p.site_id
                 WHERE p.id = ({{key}})::bigint AND p.status = {PUBLISHED} AND s.status = {PUBLISHED})""",
    "audio": f"""(SELECT jsonb_build_object('route', r.slug, 'site', s.slug, 'language', a.language)
                 FROM routes_stopaudio a JOIN routes_routestop st ON st.id = a.stop_id
                 JOIN routes_route r ON r.id = st.route_id JOIN sites_site s ON s.id = st.site_id
                 WHERE a.id = ({{key}})::bigint AND a.status = {PUBLISHED}
                   AND r.status = {PUBLISHED} AND s.status = {PUBLISHED})""",
}

MAX_LIMIT = 1000
DEFAULT_LIMIT = 500


def register_kind(kind: str, current_sql: str) -> None:
    """Add a kind to the feed: `current_sql` is a scalar subquery over
    `{key}` giving a jsonb (at least the slugs a client fetches it by) for a
    public entity, NULL otherwise. Keys of kinds whose visibility depends on
    other rows should be ids, so a tombstone names no draft."""
    KINDS[kind] = current_sql


def public_changes(cursor: change_log.Cursor, *, limit: int = DEFAULT_LIMIT) -> change_log.ChangePage:
    return change_log.changes_since(cursor, kinds=KINDS, limit=limit)
