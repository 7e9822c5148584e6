"""The change log behind the public change feed (editorial.change_log).
Domain apps attach their tables in their own migrations."""

from django.db import migrations

from editorial.change_log import INSTALL_SQL, UNINSTALL_SQL


class Migration(migrations.Migration):
    dependencies = [("editorial", "0001_content_version")]

    operations = [migrations.RunSQL(INSTALL_SQL, reverse_sql=UNINSTALL_SQL)]
