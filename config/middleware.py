import logging
import re

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

logger = logging.getLogger("biliktilik.availability")

# Paths that live outside i18n_patterns: a 404 there is final, not a missing language prefix.
UNPREFIXED = (
    "/admin/",
    "/api/",
    "/verify/",
    "/healthz",
    "/documents/",
    "/static/",
    "/media/",
    "/favicon.ico",
    "/robots.txt",
    "/a11y/",
)


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


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(
        _("The service is temporarily unavailable. Please try again in a few minutes."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def is_database_down(exc: BaseException) -> bool:
    """True for a lost or refused database connection, not for a bad query."""
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        from django.db import connections

        # A query error on a live connection (a lock timeout, say) is a bug or a conflict,
        # reported as such; only a connection that cannot be used means "unavailable".
        for conn in connections.all(initialized_only=True):
            if conn.connection is None or not conn.is_usable():
                return True
        return "connect" in str(exc).lower()
    return False


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, pages answer a plain 503 instead of a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and is_database_down(exception):
            logger.warning("database unavailable: %s", str(exception).splitlines()[0][:200])
            return database_unavailable_response()
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database outage noticed outside a view still answers a plain 503."""
    import sys

    from django.views.defaults import server_error as django_server_error

    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError) and is_database_down(exc):
        return database_unavailable_response()
    return django_server_error(request, *args, **kwargs)


def _personal_paths() -> re.Pattern:
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(
        r"^/(admin|api)/"  # the back office (people, exports, imports) and the whole API
        rf"|^/({languages})/(my/|sessions/\d+/enrol/)"  # My learning, transcripts,
        # certificate downloads, calendar, enrolment and withdrawal
    )


class SecurityHeadersMiddleware:
    """Headers by area (docs/security.md), inside Django's ContentSecurityPolicyMiddleware:

    - the admin gets SECURE_CSP_ADMIN instead of the strict public SECURE_CSP (Wagtail's
      admin needs inline scripts and styles);
    - every response gets Permissions-Policy;
    - personal pages, the back office, the API and every page shown to a logged-in user are
      never stored by a browser or a proxy (`Cache-Control: no-store, private`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.personal = _personal_paths()

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if self.personal.match(path) or (user is not None and user.is_authenticated):
            # A page shown to a logged-in user may carry their data (the programme page shows
            # their own enrolment): only anonymous public pages may be cached.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
