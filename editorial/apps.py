from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The kernel sites and routes stand on: vocabularies, multilingual text,
    the workflow and its roles, and the admin pieces every editor screen shares."""

    name = "editorial"
    default_auto_field = "django.db.models.BigAutoField"
