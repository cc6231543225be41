"""Public pages that are not Wagtail pages: the catalog, a programme, health."""

from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from courses.models import ProgrammeFormat, ProgrammeKind, SessionLanguage
from courses.selectors import (
    CatalogFilters,
    catalog_programmes,
    parse_month,
    programme_for_public,
    upcoming_sessions,
)
from enrolments.selectors import sessions_with_seats
from people.categories import CATEGORY_CODES

PAGE_SIZE = 20


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


def catalog(request: HttpRequest) -> HttpResponse:
    get = request.GET
    filters = CatalogFilters(
        q=get.get("q", "").strip()[:100],
        kind=_choice(get.get("kind", ""), ProgrammeKind.values),
        format=_choice(get.get("format", ""), ProgrammeFormat.values),
        language=_choice(get.get("language", ""), SessionLanguage.values),
        category=_choice(get.get("category", "").strip().upper(), CATEGORY_CODES),
        month=parse_month(get.get("month", "")),
    )
    programmes = catalog_programmes(filters, session_queryset=sessions_with_seats())
    page = Paginator(programmes, PAGE_SIZE).get_page(get.get("page"))
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "cms/catalog.html",
        {
            "page_obj": page,
            "filters": filters,
            "month_value": get.get("month", "") if filters.month else "",
            "kinds": ProgrammeKind.choices,
            "formats": ProgrammeFormat.choices,
            "languages": SessionLanguage.choices,
            "categories": CATEGORY_CODES,
            "querystring": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = programme_for_public(code)
    if programme is None:
        raise Http404
    sessions = list(
        sessions_with_seats(upcoming_sessions().filter(programme=programme)).order_by(
            "starts_on", "pk"
        )
    )
    return render(
        request,
        "cms/programme_detail.html",
        {"programme": programme, "sessions": sessions, "today": timezone.localdate()},
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
