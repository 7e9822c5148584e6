"""The `editor` and `reviewer` groups with their model permissions.

Workflow rights (who may publish, archive) live in editorial/workflow.py and are
keyed on these group names; the model permissions below only open the admin
to them. Nobody in these groups may hard-delete a site, route or photo
(deleting archives); removing a stop from a route is a route edit, so both
may delete route stops (the stop's history keeps it).
"""

from django.db import migrations

EDITABLE = {
    "sites": ["site", "photo"],
    "routes": ["route", "routestop"],
}
VIEW_ONLY = {"sites": ["period"]}
GROUPS = ("editor", "reviewer")


def codenames():
    for app_label, models in EDITABLE.items():
        for model in models:
            actions = ["view", "add", "change"] + (["delete"] if model == "routestop" else [])
            for action in actions:
                yield app_label, f"{action}_{model}"
    for app_label, models in VIEW_ONLY.items():
        for model in models:
            yield app_label, f"view_{model}"


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations (post_migrate);
    # a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames()
    ]
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0002_path_integrity"),
        ("sites", "0003_seed_periods"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
