"""The period vocabulary (neolithic … republic) with approximate year ranges."""

from django.db import migrations


def seed_periods(apps, schema_editor):
    from sites.services import period_vocabulary_sync

    period_vocabulary_sync(apps.get_model("sites", "Period"))


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_geometry_integrity")]

    operations = [migrations.RunPython(seed_periods, migrations.RunPython.noop)]
