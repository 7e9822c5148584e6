"""make backup / make restore: the database in pg_dump's custom format and
the media files; restored into a fresh database, the same rows and the same
photo bytes come back."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from routes.seed import load_izmir
from sites.models import Photo, Site
from sites.photos import photo_create
from tests.factories import image_bytes, uploaded
from tests.reliability.gunicorn import committed_db, live_database_env

pytestmark = pytest.mark.live

ROOT = Path(settings.BASE_DIR)
# Content, not just counts: every row of these tables, in key order, hashed by PostgreSQL.
TABLES = ["sites_site", "sites_photo", "routes_route", "routes_routestop", "auth_group", "sites_period"]


DIGEST = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"


def table_digests(conninfo: dict) -> dict[str, tuple[int, str]]:
    with psycopg.connect(**conninfo) as db:
        return {table: db.execute(DIGEST.format(table)).fetchone() for table in TABLES}


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def run(*args, env):
    done = subprocess.run(
        [str(ROOT / "scripts" / "backup.sh"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def fresh_database_name():
    name = f"heritage_restore_{os.getpid()}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@committed_db
def test_a_backup_restored_into_a_fresh_database_has_the_same_data_and_photos(
    settings, tmp_path, fresh_database_name
):
    load_izmir()
    site = Site.objects.get(slug="kizlaragasi-han")
    photo = photo_create(site=site, upload=uploaded(image_bytes(900, 600, gps=(27.13, 38.42))), author="A")
    db = live_database_env()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(db, HERITAGE_MEDIA_ROOT=str(settings.MEDIA_ROOT))

    out = run("backup", str(tmp_path / "backups"), env=env)
    backup = next((tmp_path / "backups").iterdir())
    restored_media = tmp_path / "restored-media"
    run(
        "restore",
        str(backup),
        env={**env, "RESTORE_DB": fresh_database_name, "HERITAGE_MEDIA_ROOT": str(restored_media)},
    )

    conninfo = {"host": db["PGHOST"], "port": db["PGPORT"], "user": db["PGUSER"]}
    original = table_digests({**conninfo, "dbname": db["PGDATABASE"]})
    restored = table_digests({**conninfo, "dbname": fresh_database_name})
    assert "Backed up to" in out
    assert original == restored
    assert original["sites_site"][0] >= 42
    assert original["sites_photo"][0] == 1
    assert files(restored_media) == files(Path(settings.MEDIA_ROOT))
    kept = Photo.objects.get(pk=photo.pk)
    for name in [kept.original.name, *kept.renditions.values()]:
        assert (restored_media / name).is_file(), name


@committed_db
def test_a_restore_never_takes_the_content_version_back(settings, tmp_path, fresh_database_name):
    # Versioned tile URLs, kept exports and bodies are keyed by the version:
    # after a restore an old number must never come back holding other data.
    load_izmir()
    db = live_database_env()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(db, HERITAGE_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    run("backup", str(tmp_path / "backups"), env=env)
    backup = next((tmp_path / "backups").iterdir())
    into_fresh = {**env, "RESTORE_DB": fresh_database_name, "HERITAGE_MEDIA_ROOT": str(tmp_path / "m")}
    run("restore", str(backup), env=into_fresh)
    conninfo = {"host": db["PGHOST"], "port": db["PGPORT"], "user": db["PGUSER"]}
    conninfo["dbname"] = fresh_database_name
    version = "SELECT version FROM editorial_content_version"
    with psycopg.connect(**conninfo, autocommit=True) as fresh:
        fresh.execute("UPDATE editorial_content_version SET version = version + 100")  # writes since
        given = fresh.execute(version).fetchone()[0]

    run("restore", str(backup), env=into_fresh)

    with psycopg.connect(**conninfo) as fresh:
        assert fresh.execute(version).fetchone()[0] > given


@committed_db
def test_a_damaged_backup_is_refused_and_changes_nothing(settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(live_database_env(), HERITAGE_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    run("backup", str(tmp_path / "backups"), env=env)
    backup = next((tmp_path / "backups").iterdir())
    with (backup / "database.dump").open("r+b") as dump:
        dump.seek(200)
        dump.write(b"\0" * 64)

    done = subprocess.run(
        [str(ROOT / "scripts" / "backup.sh"), "restore", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode != 0
    assert "checksums do not match" in done.stderr


def test_make_offers_backup_and_restore():
    makefile = (ROOT / "Makefile").read_text()

    assert "scripts/backup.sh backup" in makefile
    assert "scripts/backup.sh restore $(BACKUP)" in makefile
