"""Project middleware."""

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
