from django.db import migrations, models

# A cited release must never change: PostgreSQL refuses any UPDATE of a row.
# (DELETE stays possible for an administrator withdrawing a release by hand.)
IMMUTABLE = """
CREATE FUNCTION interchange_release_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'release % is immutable', OLD.version USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER interchange_release_immutable BEFORE UPDATE ON interchange_release
  FOR EACH ROW EXECUTE FUNCTION interchange_release_immutable();
"""
MUTABLE = """
DROP TRIGGER IF EXISTS interchange_release_immutable ON interchange_release;
DROP FUNCTION IF EXISTS interchange_release_immutable();
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Release",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.CharField(max_length=7, unique=True)),
                ("released_at", models.DateTimeField()),
                ("previous", models.CharField(blank=True, max_length=7)),
                ("site_count", models.PositiveIntegerField()),
                ("route_count", models.PositiveIntegerField()),
                ("added", models.PositiveIntegerField()),
                ("changed", models.PositiveIntegerField()),
                ("withdrawn", models.PositiveIntegerField()),
                ("files", models.JSONField()),
                ("citation", models.TextField()),
            ],
            options={"ordering": ["-version"]},
        ),
        migrations.RunSQL(IMMUTABLE, MUTABLE),
    ]
