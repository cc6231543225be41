"""Public pages that are not Wagtail pages: the catalog, a programme, health."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from certificates.models import Certificate
from courses.models import ProgrammeFormat, ProgrammeKind, SessionLanguage
from courses.selectors import (
    CatalogFilters,
    catalog_programmes,
    parse_month,
    programme_for_public,
    upcoming_sessions,
)
from enrolments import selectors as enrolment_selectors
from enrolments.models import ACTIVE, CalendarFeed, Enrolment
from enrolments.requirements import training_requirement_status
from enrolments.selectors import sessions_with_seats
from people.categories import CATEGORY_CODES
from people.models import CivilServant

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
    mine = {}
    if request.user.is_authenticated:
        mine = {
            e.session_id: e
            for e in Enrolment.objects.filter(
                servant__user=request.user, session__in=sessions, status__in=ACTIVE
            )
        }
    for session in sessions:
        session.my_enrolment = mine.get(session.pk)
    return render(
        request,
        "cms/programme_detail.html",
        {
            "programme": programme,
            "sessions": sessions,
            "today": timezone.localdate(),
            "can_enrol": request.user.is_authenticated and hasattr(request.user, "civil_servant"),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        # A short reason only: the driver's message can name hosts and sockets.
        return JsonResponse(
            {"status": "error", "database": f"unreachable ({type(exc).__name__})"}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    servant = (
        CivilServant.objects.filter(user=request.user)
        .select_related("position", "agency", "calendar_feed")
        .first()
    )
    if servant is None:
        return render(request, "cms/no_servant.html", status=403)
    # The page's menu asks for user.civil_servant: it is this one, no need to read it again.
    request.user.civil_servant = servant
    today = timezone.localdate()
    enrolments = list(enrolment_selectors.enrolments_of(servant))
    places = enrolment_selectors.waitlist_places(enrolments)
    for enrolment in enrolments:
        enrolment.place = places.get(enrolment.pk)
    upcoming = [e for e in enrolments if e.session.ends_on >= today and e.is_upcoming]
    past = [e for e in enrolments if e not in upcoming]
    # The programme for the training requirement; not the superseded record (the transcript
    # shows those). A record's title and provider are its own, in the reader's language.
    records = list(
        enrolment_selectors.records_of(servant).select_related(None).select_related("programme")
    )
    # Read only: the address is made by the "Get calendar link" button (a POST).
    try:
        feed = servant.calendar_feed
    except CalendarFeed.DoesNotExist:
        feed = None
    certificates = (
        {
            c.record_id: c
            for c in Certificate.objects.filter(servant=servant, revoked_at__isnull=True)
        }
        if records
        else {}
    )
    for record in records:
        record.certificate = certificates.get(record.pk)
    from promotions.services import path_to_eligibility

    path_result, path_options, lapses_on = path_to_eligibility(servant=servant, as_of=today)
    from people.access_log import access_entries_for_servant

    return render(
        request,
        "cms/my_learning.html",
        {
            "servant": servant,
            "upcoming": upcoming,
            "past": past,
            "records": records,
            "training": training_requirement_status(servant, today, records=records),
            "today": today,
            "feed_url": feed
            and request.build_absolute_uri(reverse("my_calendar", kwargs={"token": feed.token})),
            "public_feed_url": request.build_absolute_uri(reverse("sessions_ics")),
            "eligibility": path_result,
            "path_options": path_options,
            "lapses_on": lapses_on,
            # Who viewed or exported this record, and when (the read-access log).
            "access_entries": access_entries_for_servant(servant),
        },
    )


@login_required
def my_transcript(request: HttpRequest, fmt: str) -> HttpResponse:
    servant = (
        CivilServant.objects.filter(user=request.user).select_related("agency", "position").first()
    )
    if servant is None:
        raise Http404
    return transcript_response(servant, fmt)


def transcript_response(servant, fmt: str) -> HttpResponse:
    from enrolments.transcripts import transcript_csv, transcript_for, transcript_pdf

    if fmt not in ("pdf", "csv"):
        raise Http404
    transcript = transcript_for(servant)
    stamp = transcript.as_of.isoformat()
    if fmt == "pdf":
        response = HttpResponse(transcript_pdf(transcript), content_type="application/pdf")
    else:
        response = HttpResponse(transcript_csv(transcript), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="transcript-{servant.pseudonym}-{stamp}.{fmt}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
