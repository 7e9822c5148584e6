"""Language negotiation for the public API.

`?lang=` wins, then `Accept-Language` (q-values honoured, `en-GB` matches
`en`), then Turkish. An unsupported language is not an error: it falls
through to the next source. Texts then fall back per field, tr → en → any
(editorial.translations.pick in Python, sites.selectors.Translated in SQL).
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers

from editorial.translations import language_codes

DEFAULT_LANGUAGE = "tr"


def _primary(tag: str) -> str:
    return tag.strip().lower().replace("_", "-").split("-")[0]


def parse_accept_language(header: str) -> list[str]:
    """Supported language codes from an Accept-Language header, best first.
    q=0 means "not acceptable" (RFC 9110 §12.4.2) and is dropped."""
    supported = set(language_codes())
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")):
        tag, *params = item.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = _primary(tag)
        if code in supported and 0 < quality <= 1:
            ranked.append((-quality, index, code))
    seen: list[str] = []
    for _q, _i, code in sorted(ranked):
        if code not in seen:
            seen.append(code)
    return seen


def negotiate_language(request) -> str:
    """The language to answer in: ?lang=, Accept-Language, else tr."""
    asked = request.GET.get("lang")
    if asked and _primary(asked) in language_codes():
        return _primary(asked)
    accepted = parse_accept_language(request.headers.get("Accept-Language", ""))
    if accepted:
        return accepted[0]
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in language_codes() else settings.LANGUAGE_CODE


class LanguageMixin:
    """For APIViews: `self.language` is negotiated before the handler runs,
    and successful responses say which language they are in."""

    language = DEFAULT_LANGUAGE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.language = negotiate_language(request)

    def content_language(self, response) -> str:
        # A view may narrow it (a detail whose texts all fell back to English).
        return getattr(response, "content_language", None) or self.language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language"])
        if response.status_code == 200:
            response["Content-Language"] = self.content_language(response)
        return response
