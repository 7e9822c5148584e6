"""GET /api/v1/changes: the change feed for offline sync (ADR 0012)."""

import io
import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from editorial import change_log
from editorial.vocabularies import Status
from routes.models import Route, RouteStop
from sites.models import Photo, Site
from tests.factories import PhotoFactory, RouteStopFactory, SiteFactory

URL = "/api/v1/changes"
# The feed holds what has committed: every test here commits its writes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def now_cursor(client) -> str:
    return client.get(URL).json()["next"]


def read_all(client, since: str, limit: int = 500) -> tuple[list[dict], str]:
    """Every page from `since`, as an app would page through them."""
    changes = []
    while True:
        body = client.get(URL, {"since": since, "limit": limit}).json()
        changes += body["changes"]
        since = body["next"]
        if not body["has_more"]:
            return changes, since


def keys(changes, action=None) -> set[tuple[str, str]]:
    return {(c["kind"], c["key"]) for c in changes if action is None or c["action"] == action}


def test_without_a_cursor_it_names_now_and_holds_nothing(client):
    SiteFactory()
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["changes"] == []
    assert body["has_more"] is False
    assert body["license"]
    assert body["attribution"]
    assert read_all(client, body["next"])[0] == []


def test_a_publication_is_an_upsert_with_where_to_fetch_it(client):
    since = now_cursor(client)
    stop = RouteStopFactory()

    changes, _ = read_all(client, since)

    by_key = {(c["kind"], c["key"]): c for c in changes}
    assert by_key[("site", stop.site.slug)] == {
        "kind": "site",
        "key": stop.site.slug,
        "action": "upsert",
        "site": stop.site.slug,
        "href": f"/api/v1/sites/{stop.site.slug}",
    }
    assert by_key[("route", stop.route.slug)]["href"] == f"/api/v1/routes/{stop.route.slug}"
    assert by_key[("stop", str(stop.pk))]["route"] == stop.route.slug


def test_drafts_never_appear_and_withdrawals_are_tombstones(client):
    stop = RouteStopFactory()
    photo = PhotoFactory(site=stop.site, status=Status.PUBLISHED)
    since = now_cursor(client)
    draft = SiteFactory(status=Status.DRAFT, slug="secret-draft")
    Site.objects.filter(pk=draft.pk).update(name={"tr": "Gizli"})
    PhotoFactory(site=stop.site, status=Status.DRAFT)

    Site.objects.filter(pk=stop.site_id).update(status=Status.ARCHIVED)  # withdrawn: its stop and photo too
    changes, _ = read_all(client, since)

    assert "secret-draft" not in str(changes)
    assert "Gizli" not in str(changes)
    assert keys(changes) == keys(changes, "delete")
    withdrawn = {("site", stop.site.slug), ("stop", str(stop.pk)), ("photo", str(photo.pk))}
    # The withdrawal logs every photo of the site by id (a draft's tombstone
    # names nothing but its number: whether it was public is not asked).
    assert (
        withdrawn
        <= keys(changes)
        <= withdrawn | {("photo", str(p)) for p in Photo.objects.values_list("pk", flat=True)}
    )
    assert all(set(c) == {"kind", "key", "action"} for c in changes)


def test_deletions_are_tombstones(client):
    stop = RouteStopFactory()
    route = stop.route
    since = now_cursor(client)

    Route.objects.filter(pk=route.pk).delete()
    changes, _ = read_all(client, since)

    assert keys(changes, "delete") == {("route", route.slug), ("stop", str(stop.pk))}


def test_the_latest_change_per_entity_and_pages_that_lose_nothing(client):
    since = now_cursor(client)
    sites = SiteFactory.create_batch(7)
    Site.objects.filter(pk=sites[0].pk).update(district="Konak")  # a second change of the same site

    one_by_one, settled = read_all(client, since, limit=2)
    at_once, _ = read_all(client, since)

    assert keys(one_by_one) == keys(at_once) == {("site", s.slug) for s in sites}
    assert len(at_once) == 7
    assert at_once[-1]["key"] == sites[0].slug  # ordered by its latest change
    assert read_all(client, settled)[0] == []


@pytest.mark.parametrize(
    "since", ["nonsense", "W1siMToxOiJdXQ:1tampered:sig", "x" * 9000, "\x00", "[]"], ids=str.__len__
)
def test_a_malformed_cursor_is_a_400_naming_it(client, since):
    response = client.get(URL, {"since": since})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == "since"


def test_a_cursor_not_snapshot_shaped_is_refused_even_when_signed(client):
    forged = change_log.Cursor(seen="1:2:3; DROP TABLE x").encode()

    assert client.get(URL, {"since": forged}).status_code == 400


def test_a_cursor_older_than_the_retained_history_is_410_gone(client):
    since = now_cursor(client)
    SiteFactory()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {change_log.TABLE} SET at = now() - interval '400 days'")

    assert change_log.prune(older_than_days=90) >= 1
    response = client.get(URL, {"since": since})

    assert response.status_code == 410
    assert "package" in response.json()["detail"]
    assert client.get(URL, {"since": now_cursor(client)}).status_code == 200


def test_a_limit_out_of_range_is_a_400(client):
    assert (
        client.get(URL, {"since": now_cursor(client), "limit": 0}).json()["errors"][0]["parameter"] == "limit"
    )


# --- sync reproduces the published state -------------------------------------


def published_state() -> dict[str, set[str]]:
    return {
        "route": set(Route.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True)),
        "site": set(Site.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True)),
        "stop": {
            str(pk)
            for pk in RouteStop.objects.filter(
                route__status=Status.PUBLISHED, site__status=Status.PUBLISHED
            ).values_list("pk", flat=True)
        },
        "photo": {
            str(pk)
            for pk in Photo.objects.filter(
                status=Status.PUBLISHED, site__status=Status.PUBLISHED
            ).values_list("pk", flat=True)
        },
    }


def apply(local: dict[str, dict[str, dict]], changes: list[dict], client) -> None:
    for change in changes:
        bucket = local.setdefault(change["kind"], {})
        if change["action"] == "delete":
            bucket.pop(change["key"], None)
        else:
            response = client.get(change["href"])
            assert response.status_code == 200, change
            bucket[change["key"]] = response.json()


def test_syncing_from_an_old_cursor_reproduces_the_published_state(client):
    """The app's copy (filled from the feed) equals what is published now:
    what was added, edited, withdrawn and deleted since the cursor."""
    kept, withdrawn, deleted = RouteStopFactory(), RouteStopFactory(), RouteStopFactory()
    photo = PhotoFactory(site=kept.site, status=Status.PUBLISHED)
    local: dict[str, dict[str, dict]] = {}
    apply(local, read_all(client, now_cursor(client))[0], client)  # nothing yet
    since = now_cursor(client)
    # The app's copy at `since`, as a package would have given it:
    for kind, present in published_state().items():
        local[kind] = {key: {} for key in present}

    RouteStopFactory(route=kept.route, order=9)  # a new stop and site
    Site.objects.filter(pk=kept.site_id).update(district="Alsancak")
    Route.objects.filter(pk=withdrawn.route_id).update(status=Status.ARCHIVED)
    Route.objects.filter(pk=deleted.route_id).delete()
    Photo.objects.filter(pk=photo.pk).update(status=Status.DRAFT)
    SiteFactory(status=Status.DRAFT)
    apply(local, read_all(client, since, limit=3)[0], client)

    assert {kind: set(items) for kind, items in local.items()} == published_state()
    assert local["site"][kept.site.slug]["properties"]["district"] == "Alsancak"


# --- concurrency: commits out of order ---------------------------------------


def connect() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
    )


def wait_until_blocked(pid: int) -> None:
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == "Lock":
                return
        time.sleep(0.02)
    pytest.fail("the first transaction never waited")


def test_a_change_committed_after_a_later_numbered_one_is_still_delivered(client):
    """Two real transactions, the first taking the lower log number but
    committing last, after a reader has already seen the second. (Writers
    queue on the content version's counter row, so the first is made to
    log its row while the second holds that row.)"""
    early, late = SiteFactory(), SiteFactory()
    since = now_cursor(client)
    first, second = connect(), connect()
    update = "UPDATE sites_site SET district = %s WHERE id = %s"
    try:
        second.execute(update, ["second", late.pk])  # holds the counter row
        blocked = threading.Thread(target=first.execute, args=(update, ["first", early.pk]))
        blocked.start()  # logs its row, then waits for the counter
        wait_until_blocked(first.info.backend_pid)
        second.execute(update, ["second again", late.pk])
        second.commit()
        blocked.join(timeout=10)
        rows = first.execute(
            f"SELECT key, id FROM {change_log.TABLE} WHERE key IN (%s, %s)", [early.slug, late.slug]
        )
        numbers = dict(rows.fetchall())
        assert numbers[early.slug] < numbers[late.slug]  # the trap: lower number, later commit

        seen, after_second = read_all(client, since)
        assert keys(seen) == {("site", late.slug)}

        first.commit()
        seen_later, settled = read_all(client, after_second)
    finally:
        first.close()
        second.close()

    assert keys(seen_later) == {("site", early.slug)}
    assert read_all(client, settled)[0] == []
    assert keys(read_all(client, since)[0]) == {("site", early.slug), ("site", late.slug)}


# --- retention: manage.py prune_changes ----------------------------------------


def age_log(days: int, where: str = "true") -> None:
    """Make the logged history so far `days` old (as if written then)."""
    with connection.cursor() as cursor:
        sql = f"UPDATE {change_log.TABLE} SET at = now() - make_interval(days => %s) WHERE {where}"
        cursor.execute(sql, [days])


def log_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {change_log.TABLE}")
        return cursor.fetchone()[0]


def test_after_pruning_an_old_cursor_is_gone_and_a_kept_one_reproduces_the_published_state(client):
    kept, withdrawn, deleted = RouteStopFactory(), RouteStopFactory(), RouteStopFactory()
    photo = PhotoFactory(site=kept.site, status=Status.PUBLISHED)
    too_old = now_cursor(client)
    Site.objects.filter(pk=kept.site_id).update(district="Konak")  # history only the old cursor needs
    age_log(days=settings.HERITAGE_CHANGE_LOG_RETENTION_DAYS + 10)
    since = now_cursor(client)
    local = {kind: {key: {} for key in present} for kind, present in published_state().items()}

    RouteStopFactory(route=kept.route, order=9)
    Site.objects.filter(pk=kept.site_id).update(district="Alsancak")
    Route.objects.filter(pk=withdrawn.route_id).update(status=Status.ARCHIVED)
    Route.objects.filter(pk=deleted.route_id).delete()
    Photo.objects.filter(pk=photo.pk).update(status=Status.DRAFT)
    before = log_count()
    out = io.StringIO()
    call_command("prune_changes", stdout=out)

    assert "Deleted" in out.getvalue()
    assert 0 < log_count() < before
    gone = client.get(URL, {"since": too_old})
    assert gone.status_code == 410
    assert gone["Content-Type"] == "application/problem+json"
    problem = gone.json()
    assert problem["status"] == 410
    assert problem["title"] == "Gone"
    assert problem["type"].endswith("/cursor-gone")
    assert "download the route package again" in problem["detail"]

    apply(local, read_all(client, since, limit=2)[0], client)
    assert {kind: set(items) for kind, items in local.items()} == published_state()
    assert local["site"][kept.site.slug]["properties"]["district"] == "Alsancak"
    assert deleted.route.slug not in local["route"]
    assert str(photo.pk) not in local["photo"]


def test_pruning_deletes_in_batches_and_a_second_run_finds_nothing(client):
    SiteFactory.create_batch(5)
    age_log(days=400)
    old = log_count()

    assert change_log.prune(older_than_days=90, batch=2) == old
    assert log_count() == 0
    out = io.StringIO()
    call_command("prune_changes", "--days", "90", stdout=out)
    assert "Nothing older than 90 days" in out.getvalue()


def test_a_young_transaction_keeps_the_history_after_it_even_when_that_looks_old(client):
    """`at` is a transaction's start, its xid comes with its first write: a
    long transaction can log an "old" row after a younger one. The horizon
    stops at the oldest transaction kept, so a cursor from before it still
    reads both."""
    earlier = SiteFactory()
    since = now_cursor(client)
    young, long_running = SiteFactory(), SiteFactory()
    age_log(days=400, where="true")
    age_log(days=1, where=f"key = '{young.slug}'")

    change_log.prune(older_than_days=90)

    assert client.get(URL, {"since": since}).status_code == 200
    assert keys(read_all(client, since)[0]) == {("site", young.slug), ("site", long_running.slug)}
    with connection.cursor() as cursor:  # what lay below the horizon went
        cursor.execute(f"SELECT key FROM {change_log.TABLE}")
        assert earlier.slug not in {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("args", [["--days", "0"], ["--batch", "0"]])
def test_prune_changes_refuses_a_retention_that_would_break_todays_cursors(args):
    with pytest.raises(CommandError):
        call_command("prune_changes", *args)
