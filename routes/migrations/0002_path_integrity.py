"""Route paths: valid, non-empty, 2D lines only, enforced by the database."""

from django.db import migrations

CONDITION = (
    "NOT ST_IsEmpty(path::geometry) AND ST_IsValid(path::geometry)"
    " AND ST_NDims(path::geometry) = 2"
    " AND GeometryType(path::geometry) IN ('LINESTRING', 'MULTILINESTRING')"
)


class Migration(migrations.Migration):
    dependencies = [("routes", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE routes_route ADD CONSTRAINT route_path_valid CHECK ({CONDITION});",
            reverse_sql="ALTER TABLE routes_route DROP CONSTRAINT route_path_valid;",
        )
    ]
