"""Offline sync (ADR 0012): route packages and the change feed, in process.

- packages: build time and size for both İzmir routes in every language,
  with two photos per stop (`photo_like_jpeg`: 1600×1200 JPEGs with the
  statistics of photographs, see there), photos' share shown; target ≤ 3 MB
  for 8500 Years;
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
PHOTO_AUTHOR = "Bench 1/f"  # marks the bench's stand-in photos (photo_like_jpeg)
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


def pink_field(rng, height: int, width: int, exponent: float = 1.0):
    """Gaussian noise whose amplitude spectrum falls as 1/f**exponent, scaled
    to unit variance: with exponent 1 (power 1/f²) the standard model of a
    photograph's second-order statistics (Field 1987; van der Schaaf and van
    Hateren 1996 measured exponents of 0.9–1.1 over thousands of scenes)."""
    import numpy as np

    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    frequency = np.hypot(fx, fy)
    frequency[0, 0] = 1.0
    amplitude = frequency**-exponent
    amplitude[0, 0] = 0.0
    spectrum = (
        amplitude * rng.standard_normal(amplitude.shape) * np.exp(2j * np.pi * rng.random(amplitude.shape))
    )
    field = np.fft.irfft2(spectrum, s=(height, width))
    return field / field.std()


def photo_like_jpeg(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """A stand-in for a phone photo of a ruin: a smooth sky with a little
    texture above a wavy horizon, and ground of 1/f-textured stone (RMS
    contrast ~0.3, as measured in photographs) with slow colour variation,
    saved as a camera would (JPEG, quality 85). Random phases make it, if
    anything, harder to compress than a photograph with the same spectrum:
    a real scene's edges concentrate its energy in fewer coefficients."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None]
    x = np.linspace(0, 1, width)[None, :]
    wave = 0.05 * np.sin(2 * np.pi * (x * rng.uniform(0.5, 2) + rng.random()))
    sky = y < 0.35 + 0.15 * rng.random() + wave
    texture = pink_field(rng, height, width)
    tint, warmth = (0.04 * pink_field(rng, height, width, 1.6) for _ in range(2))
    sky_light = 0.75 - 0.25 * y + 0.04 * texture
    ground_light = 0.45 + 0.18 * texture - 0.1 * y
    sky_rgb = np.stack([0.8 * sky_light, 0.9 * sky_light, 1.1 * sky_light], -1)
    ground_rgb = np.stack(
        [1.1 * ground_light + tint, 0.98 * ground_light + warmth, 0.8 * ground_light - tint], -1
    )
    pixels = np.clip(np.where(sky[..., None], sky_rgb, ground_rgb) * 255, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def ensure_photos() -> None:
    from django.core.files.base import ContentFile

    from editorial.vocabularies import Status
    from sites.models import Photo, Site
    from sites.photos import make_renditions

    # Photos of an earlier kind of stand-in (author "Bench": blurred noise) go.
    Photo.objects.filter(author__startswith="Bench").exclude(author=PHOTO_AUTHOR).delete()
    sites = (
        Site.objects.filter(route_stops__isnull=False, status=Status.PUBLISHED).distinct().order_by("slug")
    )
    for index, site in enumerate(sites):
        if site.photos.filter(author=PHOTO_AUTHOR).exists():
            continue
        for number in range(PHOTOS_PER_STOP):
            data = photo_like_jpeg(index * PHOTOS_PER_STOP + number)
            photo = Photo(
                site=site,
                caption={"en": "Bench"},
                author=PHOTO_AUTHOR,
                license="CC-BY-4.0",
                status=Status.PUBLISHED,
            )
            photo.original.save(f"bench-{site.pk}-{number}.jpg", ContentFile(data), save=False)
            photo.width, photo.height = 1600, 1200  # after the file: saving it resets them
            photo.renditions = make_renditions(data, site_id=site.pk)
            photo.save()


def bench_rendition_settings(samples: int = 6) -> None:
    """The 800 px WebP of a few bench photos at the pipeline's settings and
    at the earlier ones (quality 80, method 4), with the encode time."""
    from PIL import Image

    from sites import photos

    settings_now = (photos.RENDITION_QUALITY, photos.PHONE_METHOD)
    results = {(80, 4): [], settings_now: []}
    for seed in range(samples):
        image = Image.open(io.BytesIO(photo_like_jpeg(seed))).convert("RGB")
        image = image.resize((800, 600), Image.Resampling.LANCZOS)
        for (quality, method), sizes in results.items():
            out = io.BytesIO()
            started = time.perf_counter()
            image.save(out, "WEBP", quality=quality, method=method)
            sizes.append((len(out.getvalue()), time.perf_counter() - started))
    for (quality, method), sizes in results.items():
        kib = sum(size for size, _ in sizes) / len(sizes) / 1024
        ms = sum(took for _, took in sizes) / len(sizes) * 1000
        say(
            f"800 px WebP quality {quality} method {method}: {kib:.0f} KiB, "
            f"{ms:.0f} ms to encode (mean of {samples})"
        )


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

    from editorial import change_log

    with connection.cursor() as cursor:  # the whole history made old, then pruned
        cursor.execute(f"SELECT count(*) FROM {change_log.TABLE}")
        rows = cursor.fetchone()[0]
        cursor.execute(f"UPDATE {change_log.TABLE} SET at = now() - interval '400 days'")
    started = time.perf_counter()
    deleted = change_log.prune(older_than_days=90)
    took = (time.perf_counter() - started) * 1000
    gone = client.get("/api/v1/changes", {"since": since}).status_code
    say(f"prune of {deleted:,} of {rows:,} log rows: {took:.0f} ms; the old cursor then answers {gone}")


def main(argv: list[str]) -> None:
    n = next((int(arg.split("=", 1)[1]) for arg in argv if arg.startswith("--n=")), 50)
    media = Path(settings.BASE_DIR) / "var" / "bench-media"
    settings.MEDIA_ROOT = media
    settings.HERITAGE_PACKAGE_ROOT = Path(tempfile.mkdtemp(prefix="bench-packages-"))
    os.environ.setdefault("HERITAGE_RESPONSE_CACHE_MB", "0")
    use_database()
    started = time.perf_counter()
    ensure_photos()
    say(f"bench photos ready in {time.perf_counter() - started:.1f} s")
    try:
        bench_rendition_settings()
        bench_packages(n)
        bench_changes(n)
    finally:
        shutil.rmtree(settings.HERITAGE_PACKAGE_ROOT, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    main(sys.argv[1:])
