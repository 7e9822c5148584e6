from django.apps import AppConfig


class GeodataConfig(AppConfig):
    name = "geodata"
    default_auto_field = "django.db.models.BigAutoField"
