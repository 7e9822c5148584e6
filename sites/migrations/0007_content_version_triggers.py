"""Writes to sites, their periods and photos bump the public content
version (editorial.content_version): every public response shows them."""

from django.db import migrations

from editorial.content_version import track_table_sql, untrack_table_sql

TABLES = ("sites_site", "sites_site_periods", "sites_period", "sites_photo")


class Migration(migrations.Migration):
    dependencies = [("sites", "0006_site_visit_facts"), ("editorial", "0001_content_version")]

    operations = [
        migrations.RunSQL(
            [track_table_sql(table) for table in TABLES],
            reverse_sql=[untrack_table_sql(table) for table in TABLES],
        )
    ]
