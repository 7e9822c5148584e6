"""Offline sync (ADR 0012): route packages and the change feed, in process.

- packages: build time and size for both İzmir routes in every language,
  with two photos per stop (1600×1200 lightly blurred noise: ~130 KB as an
  800 px WebP, more than a typical photo's 50–90 KB, so sizes are an upper
  bound), photos' share shown; target ≤ 3 MB for 8500 Years;
- a package revalidation (If-None-Match → 304) p50/p95 next to a full
  download of the built zip, as a ratio;
- the change feed with 10,000 changes: the first page (500) p50/p95, and
  reading all of them page by page, next to the raw SQL of one page.

Its own database (heritage_sync_bench: migrated, İzmir loaded), media in
var/bench-media. `python -m bench.bench_sync --n=50`. Reported, never asserted.
"""

import io
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.bench_tourist import HOST, p, say, timed

DATABASE = "heritage_sync_bench"
PHOTOS_PER_STOP = 2
CHANGES = 10_000


def use_database() -> None:
    connection.close()
    db = connection.settings_dict
    db["NAME"] = DATABASE
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    with psycopg.connect(dbname=DATABASE, autocommit=True, **params) as target:
        target.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    call_command("migrate", verbosity=0)
    call_command("load_izmir", stdout=io.StringIO())


def noise_jpeg(seed: int) -> bytes:
    from PIL import Image, ImageFilter

    image = (
        Image.effect_noise((1600, 1200), 64 + seed % 32).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def ensure_photos() -> None:
    from django.core.files.base import ContentFile

    from editorial.vocabularies import Status
    from sites.models import Photo, Site
    from sites.photos import make_renditions

    sites = Site.objects.filter(route_stops__isnull=False, status=Status.PUBLISHED).distinct()
    for index, site in enumerate(sites):
        if site.photos.exists():
            continue
        for number in range(PHOTOS_PER_STOP):
            data = noise_jpeg(index * PHOTOS_PER_STOP + number)
            photo = Photo(
                site=site,
                caption={"en": "Bench"},
                author="Bench",
                license="CC-BY-4.0",
                status=Status.PUBLISHED,
            )
            photo.original.save(f"bench-{site.pk}-{number}.jpg", ContentFile(data), save=False)
            photo.width, photo.height = 1600, 1200  # after the file: saving it resets them
            photo.renditions = make_renditions(data, site_id=site.pk)
            photo.save()


def bench_packages(n: int) -> None:
    from api.v1.packages import route_package
    from editorial.content_version import content_version
    from editorial.translations import language_codes
    from interchange import packages
    from routes.selectors import published_routes

    client = Client(HTTP_HOST=HOST)
    say("route, language: build time, size (target ≤ 3 MB for 8500 Years, no PMTiles)")
    for slug in published_routes().order_by("slug").values_list("slug", flat=True):
        for language in language_codes():
            shutil.rmtree(packages.root() / slug / language, ignore_errors=True)
            started = time.perf_counter()
            package = route_package(slug, language, content_version())
            took = time.perf_counter() - started
            with zipfile.ZipFile(package.path) as archive:
                listed = json.loads(archive.read("manifest.json"))["files"]
            photos = [entry["bytes"] for entry in listed if entry["path"].startswith("photos/")]
            say(
                f"  {slug} {language}: {took * 1000:.0f} ms, {package.bytes / 2**20:.2f} MB "
                f"({len(photos)} photos, {sum(photos) / 2**20:.2f} MB of it)"
            )
    url = "/api/v1/routes/8500-years-in-one-day/package?lang=en"
    etag = client.get(url)["ETag"]
    full = timed(lambda: client.get(url).content, n)
    revalidated = timed(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag), n)
    say(
        f"package 304 p50/p95 {p(revalidated, 0.5):.2f}/{p(revalidated, 0.95):.2f} ms vs full download "
        f"{p(full, 0.5):.2f}/{p(full, 0.95):.2f} ms: ÷ {p(revalidated, 0.95) / p(full, 0.95):.3f} (p95)"
    )


def bench_changes(n: int) -> None:
    client = Client(HTTP_HOST=HOST)
    since = client.get("/api/v1/changes").json()["next"]
    with connection.cursor() as cursor:  # 10,000 changes, one statement each 100 rows
        cursor.execute("SELECT id FROM sites_site WHERE status = 'published' ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        done = 0
        while done < CHANGES:
            for start in range(0, len(ids), 100):
                batch = ids[start : start + 100][: CHANGES - done]
                cursor.execute("UPDATE sites_site SET district = district WHERE id = ANY(%s)", [batch])
                done += len(batch)
                if done >= CHANGES:
                    break
    url = f"/api/v1/changes?since={since}&limit=500"
    first = timed(lambda: client.get(url).content, n)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    page_sql = max(queries.captured_queries, key=lambda q: len(q["sql"]))["sql"]

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(page_sql)
            cursor.fetchall()

    raw_page = timed(raw, n)

    def read_all():
        cursor, pages = since, 0
        while True:
            body = client.get("/api/v1/changes", {"since": cursor, "limit": 500}).json()
            cursor, pages = body["next"], pages + 1
            if not body["has_more"]:
                return pages

    started = time.perf_counter()
    pages = read_all()
    took = (time.perf_counter() - started) * 1000
    ratio = p(first, 0.95) / p(raw_page, 0.95)
    first_page = f"{p(first, 0.5):.1f}/{p(first, 0.95):.1f}"
    raw_sql = f"{p(raw_page, 0.5):.1f}/{p(raw_page, 0.95):.1f}"
    say(f"changes feed, {CHANGES:,} changes: first page of 500 p50/p95 {first_page} ms")
    say(f"  raw SQL of that page {raw_sql} ms (÷ {ratio:.2f} at p95); all {pages} pages {took:.0f} ms")


def main(argv: list[str]) -> None:
    n = next((int(arg.split("=", 1)[1]) for arg in argv if arg.startswith("--n=")), 50)
    media = Path(settings.BASE_DIR) / "var" / "bench-media"
    settings.MEDIA_ROOT = media
    settings.HERITAGE_PACKAGE_ROOT = Path(tempfile.mkdtemp(prefix="bench-packages-"))
    os.environ.setdefault("HERITAGE_RESPONSE_CACHE_MB", "0")
    use_database()
    ensure_photos()
    try:
        bench_packages(n)
        bench_changes(n)
    finally:
        shutil.rmtree(settings.HERITAGE_PACKAGE_ROOT, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    main(sys.argv[1:])
