"""The public content version's counter and trigger function
(editorial.content_version). Domain apps attach their tables to it in their
own migrations, so this kernel migration depends on no domain app."""

from django.db import migrations

from editorial.content_version import INSTALL_SQL, UNINSTALL_SQL


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunSQL(INSTALL_SQL, reverse_sql=UNINSTALL_SQL)]
