"""The shared store of the abuse limits (api/throttling.py): Django's
database cache table, made here so that `migrate` (make run, deployments,
the test database) is the one step that sets it up."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Creates the table of every DatabaseCache in CACHES; skips existing ones.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
