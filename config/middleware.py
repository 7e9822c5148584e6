"""Project middleware."""

import functools

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware


class AdminLocaleMiddleware(LocaleMiddleware):
    """The admin speaks the browser's language (Turkish staff get a Turkish
    admin); the API does not: its messages stay in LANGUAGE_CODE (English)
    and its content language is negotiated per request by api.i18n, which
    sets Content-Language itself."""

    def process_request(self, request):
        if request.path.startswith("/admin/"):
            super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith("/admin/"):
            return super().process_response(request, response)
        return response


class SettingsCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once per settings for
    the responses whose policy depends on nothing else.

    django-csp builds the policy string from the settings for every response,
    and the report-only policy too even when there is none (two builds, ~4 %
    of a nearby request, bench/README.md). A response whose view set no
    policy of its own (`@csp_update` and friends) and whose page used no
    nonce gets exactly the settings' policy, so that string is kept; pages
    with a nonce (the admin's map editor, Swagger UI, the guide) and views
    with their own policy go through django-csp unchanged, as do DEBUG,
    report-only and excluded-prefix configurations. The header's bytes are
    the same either way."""

    def process_response(self, request, response):
        if not _settings_policy_applies(request, response):
            return super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = settings_policy()
        # As django-csp: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _settings_policy_applies(request, response) -> bool:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return not (
        settings.DEBUG
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or policy.get("EXCLUDE_URL_PREFIXES")
        or getattr(request, "_csp_nonce", None) is not None
        or getattr(response, "_csp_config", None) is not None
        or getattr(response, "_csp_update", None) is not None
        or getattr(response, "_csp_replace", None) is not None
    )


@functools.cache
def settings_policy() -> str:
    return build_policy()


@receiver(setting_changed)
def _forget_settings_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()
