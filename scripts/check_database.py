"""Check an external database (DATABASE_URL / PG*): reachable, with PostGIS."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "check-only")

import psycopg
from django.conf import settings

db = settings.DATABASES["default"]
try:
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or None, dbname=db["NAME"], user=db["USER"],
        password=db["PASSWORD"], connect_timeout=5,
    ) as conn:
        row = conn.execute(
            "SELECT extversion FROM pg_extension WHERE extname = 'postgis'"
        ).fetchone()
        available = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
        ).fetchone()
except psycopg.Error as error:
    sys.stderr.write(f"Cannot connect to {db['HOST']}:{db['PORT']}/{db['NAME']}: {error}\n")
    sys.exit(1)

if row:
    sys.stdout.write(f"PostGIS {row[0]} found on {db['HOST']}/{db['NAME']}.\n")
elif available:
    sys.stdout.write("PostGIS is available but not created; migrations create it (needs a superuser) "
          "or run: CREATE EXTENSION postgis;\n")
else:
    sys.stderr.write(
        f"The server {db['HOST']}:{db['PORT']} has no PostGIS. Install it there "
        "(Debian: apt-get install postgresql-<major>-postgis-3) or unset DATABASE_URL "
        "to use the project's own cluster.\n"
    )
    sys.exit(1)
