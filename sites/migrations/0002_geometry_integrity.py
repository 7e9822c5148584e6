"""Geometry integrity enforced by the database, not only by forms.

The geography(…, 4326) column types already refuse other SRIDs and 3D input;
these CHECKs add OGC validity, non-emptiness, lon/lat range and, for shape,
the allowed geometry types. ST_IsValid has no geography variant, hence ::geometry.
"""

from django.db import migrations

CHECKS = {
    "site_location_valid": (
        "sites_site",
        "NOT ST_IsEmpty(location::geometry) AND ST_IsValid(location::geometry)"
        " AND ST_X(location::geometry) BETWEEN -180 AND 180"
        " AND ST_Y(location::geometry) BETWEEN -90 AND 90",
    ),
    "site_shape_valid": (
        "sites_site",
        "shape IS NULL OR (NOT ST_IsEmpty(shape::geometry) AND ST_IsValid(shape::geometry)"
        " AND ST_NDims(shape::geometry) = 2"
        " AND GeometryType(shape::geometry) IN"
        " ('POLYGON', 'MULTIPOLYGON', 'LINESTRING', 'MULTILINESTRING'))",
    ),
    "photo_suggested_location_valid": (
        "sites_photo",
        "suggested_location IS NULL OR ST_IsValid(suggested_location::geometry)",
    ),
}


def add_checks():
    return [
        f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition});"
        for name, (table, condition) in CHECKS.items()
    ]


def drop_checks():
    return [f"ALTER TABLE {table} DROP CONSTRAINT {name};" for name, (table, _c) in CHECKS.items()]


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_initial")]

    operations = [migrations.RunSQL(add_checks(), reverse_sql=drop_checks())]
