"""Public pages that are not Wagtail pages: the catalog, a programme, health."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

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
from enrolments.services import enrolment_refusal, programme_refusal, withdrawal_refusal
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
    servant = _servant_of(request)
    if servant is not None:
        for programme in page:
            # Why this person may not take it (the audience), from the service's own rule.
            programme.refusal = programme_refusal(servant=servant, programme=programme)
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
    today = timezone.localdate()
    servant = _servant_of(request)
    mine = {}
    if servant is not None:
        mine = {
            e.session_id: e
            for e in Enrolment.objects.filter(
                servant=servant, session__in=sessions, status__in=ACTIVE
            )
        }
    for session in sessions:
        session.my_enrolment = mine.get(session.pk)
        # The service's own rules, asked before the click: a disabled button and the reason.
        session.refusal = (
            enrolment_refusal(servant=servant, session=session, today=today)
            if servant is not None and session.my_enrolment is None
            else None
        )
    return render(
        request,
        "cms/programme_detail.html",
        {
            "programme": programme,
            "sessions": sessions,
            "today": today,
            "can_enrol": servant is not None,
        },
    )


def _servant_of(request: HttpRequest) -> CivilServant | None:
    """The logged-in civil servant, with the position the audience rule reads; else None."""
    if not request.user.is_authenticated:
        return None
    return CivilServant.objects.filter(user=request.user).select_related("position").first()


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
    past = [e for e in enrolments if e not in upcoming]  # latest first, as the selector gives
    # What comes next is read first: the soonest session at the top.
    upcoming.sort(key=lambda e: (e.session.starts_on, e.session.ends_on, e.pk))
    for enrolment in upcoming:
        enrolment.can_withdraw = (
            withdrawal_refusal(
                enrolment=enrolment, session=enrolment.session, actor=request.user, today=today
            )
            is None
        )
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


# -- small site files and the "for the visually impaired" switch -----------------------


@functools.cache
def _favicon_bytes() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bots ask for whatever the page says (the pages also
    link static/favicon.svg)."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keeps crawlers out of the back office, the API, each person's pages and their private
    calendar feeds (/<lang>/my/calendar/<token>.ics)."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/my/", f"Disallow: /{code}/accounts/"]
    lines += ["Disallow: /*/my/calendar/", "Disallow: /i18n/", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_POST
def low_vision(request: HttpRequest) -> HttpResponse:
    """The header's "Version for the visually impaired" button: a form, so it works without
    script. The cookie is read by base.html (a class on <html>), and kept for a year."""
    from cms.templatetags.biliktilik import LOW_VISION_COOKIE

    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    if request.POST.get("low_vision") == "1":
        response.set_cookie(
            LOW_VISION_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
    return response
