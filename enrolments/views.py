"""Civil servants' own pages: enrol, withdraw, My learning, calendars."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import Session
from courses.selectors import upcoming_sessions
from people.models import CivilServant

from . import calendar_feeds, calendars, services
from .models import CalendarFeed, Enrolment, EnrolmentStatus


def _message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("programme"), pk=session_id)
    back = reverse("programme_detail", kwargs={"code": session.programme.code})
    # The position gives the category the programme's audience is checked against.
    servant = CivilServant.objects.filter(user=request.user).select_related("position").first()
    if servant is None:
        messages.error(request, _("Your login is not linked to a civil servant record."))
        return redirect(back)
    try:
        enrolment = services.enrolment_request(servant=servant, session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_of(error))
        return redirect(back)
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        messages.info(
            request,
            _("The session is full: you are number %(place)s on the waiting list.")
            % {"place": enrolment.place},
        )
    elif enrolment.status == EnrolmentStatus.PENDING_APPROVAL:
        messages.success(request, _("Your seat is held while your request awaits approval."))
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("my_learning")


@login_required
def withdraw(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """GET (or a POST without `confirm`) asks first; the confirmation's POST withdraws. No
    script needed: My learning's "Withdraw" is a link to this page."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__programme", "servant"),
        pk=enrolment_id,
        servant__user=request.user,
    )
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.enrolment_withdraw(enrolment=enrolment, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("You have withdrawn from the session."))
        return redirect("my_learning")
    refusal = services.withdrawal_refusal(
        enrolment=enrolment,
        session=enrolment.session,
        actor=request.user,
        today=timezone.localdate(),
    )
    if refusal is not None:
        messages.error(request, _message_of(refusal))
        return redirect("my_learning")
    return render(request, "enrolments/withdraw_confirm.html", {"enrolment": enrolment})


@login_required
@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """My learning's "Get calendar link" / "New link" button."""
    servant = CivilServant.objects.filter(user=request.user).first()
    if servant is None:
        raise Http404
    calendar_feeds.calendar_feed_rotate(servant=servant, actor=request.user)
    messages.success(request, _("Your calendar link is ready."))
    return redirect(reverse("my_learning") + "#cal-h")


def sessions_ics(request: HttpRequest) -> HttpResponse:
    sessions = upcoming_sessions().select_related("programme").filter(programme__live=True)
    body = calendars.sessions_calendar(sessions, name=_("Academy sessions"))
    return _ics(body, "sessions.ics")


def my_calendar(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.filter(token=token).select_related("servant").first()
    if feed is None:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=365)
    enrolments = (
        Enrolment.objects.filter(
            servant=feed.servant,
            status__in=[
                EnrolmentStatus.ENROLLED,
                EnrolmentStatus.PENDING_APPROVAL,
                EnrolmentStatus.COMPLETED,
            ],
            session__ends_on__gte=since,
        )
        .select_related("session__programme")
        .order_by("session__starts_on")
    )
    body = calendars.sessions_calendar(
        [e.session for e in enrolments], name=_("My sessions"), private=True
    )
    return _ics(body, "my-sessions.ics")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
