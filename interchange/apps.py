from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Data in and out of the domain: exports and imports orchestrated over
    the domain's selectors and services, with geodata's format writers and
    readers doing the file work, and the synthetic benchmark data set."""

    name = "interchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from interchange.package_audio import route_audio
        from interchange.packages import register_audio_source

        register_audio_source(route_audio)
