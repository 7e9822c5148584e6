"""Writes to routes and their stops bump the public content version
(editorial.content_version)."""

from django.db import migrations

from editorial.content_version import track_table_sql, untrack_table_sql

TABLES = ("routes_route", "routes_routestop")


class Migration(migrations.Migration):
    dependencies = [("routes", "0004_route_designation"), ("editorial", "0001_content_version")]

    operations = [
        migrations.RunSQL(
            [track_table_sql(table) for table in TABLES],
            reverse_sql=[untrack_table_sql(table) for table in TABLES],
        )
    ]
