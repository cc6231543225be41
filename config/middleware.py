from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

# Paths that live outside i18n_patterns: a 404 there is final, not a missing language prefix.
UNPREFIXED = ("/admin/", "/api/", "/verify/", "/healthz", "/documents/", "/static/", "/media/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus the 404 → /<lang>/… redirect for unprefixed areas.

    Without this, any unknown admin or API URL would redirect into the public site's page
    tree (whose catch-all pattern accepts every path) instead of answering 404.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", self._language(request))
            return response
        return super().process_response(request, response)

    @staticmethod
    def _language(request) -> str:
        return getattr(request, "LANGUAGE_CODE", "kk")
