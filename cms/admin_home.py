"""The back office's home page: one panel per piece of a role's daily work.

Each panel is a Wagtail home panel (a `Component`, added by the `construct_homepage_panels`
hook in cms/wagtail_hooks.py) that reads its figures in a fixed number of queries, whatever the
number of sessions, people or entries, and links each figure to the list it counts. Which
panels a user sees follows from their roles (core.authorization): a superuser sees them all.
The figures come from the domain apps' selectors and services; nothing here decides a rule.
"""

import datetime
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from certificates.services import pending_records
from core.authorization import is_academy_manager, is_auditor, is_hr_officer
from core.models import ImportBatch
from courses.models import Session, SessionStatus
from enrolments.admin_filters import CurrentOrReplaced
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.selectors import sessions_with_seats
from notifications.selectors import notifications_for
from notifications.views import rows as notification_rows
from people.authorization import may_decide_enrolments
from people.models import CivilServant
from people.scoping import agencies_visible_to, scope_queryset
from promotions import selectors as promotion_selectors
from promotions import services as promotion_services

from . import audit_display

UPCOMING_DAYS = 14
EXPIRY_DAYS = 90
ROWS = 8  # rows a panel lists; its figure counts them all and links to the whole list
# Promotion eligibility is evaluated person by person: on the home page only for an HR
# officer's own state bodies, at most this many people, and cached for a while.
ELIGIBILITY_MAX_SERVANTS = 20_000
ELIGIBILITY_CACHE_SECONDS = 30 * 60


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


class HomePanel(Component):
    """A dashboard panel: `heading`, an id for the page, figures read in `figures()`."""

    name = ""
    heading = ""
    order = 100

    class Media:
        css = {"all": ["cms/admin-home.css"]}

    def __init__(self, request):
        self.request = request

    def figures(self) -> dict:
        return {}

    def get_context_data(self, parent_context=None):
        return {"panel_id": self.name, "heading": self.heading, **self.figures()}


# -- everyone in the back office --------------------------------------------------------------


class NotificationsPanel(HomePanel):
    """The latest notifications addressed to this login (unread first in weight, not order)."""

    name = "home-notifications"
    heading = _("Notifications")
    template_name = "cms/admin/home/notifications.html"
    order = 5

    class Media:
        css = {"all": ["cms/admin-home.css", "notifications/notifications.css"]}

    def figures(self) -> dict:
        mine = notifications_for(self.request.user, as_servant=False)
        latest = list(mine[:ROWS])
        return {
            "unread": mine.filter(read_at__isnull=True).count() if latest else 0,
            "rows": notification_rows(latest, (get_language() or "kk")[:2]),
            "list_url": reverse("notifications_admin"),
        }


# -- the academy manager ---------------------------------------------------------------------


class UpcomingSessionsPanel(HomePanel):
    """Sessions that start within two weeks, with their seats taken, waiting and pending."""

    name = "home-upcoming-sessions"
    heading = _("Sessions starting in the next two weeks")
    template_name = "cms/admin/home/upcoming_sessions.html"
    order = 10

    def figures(self) -> dict:
        today = timezone.localdate()
        upcoming = Session.objects.filter(
            starts_on__gte=today,
            starts_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
            status=SessionStatus.SCHEDULED,
        )
        rows = list(
            sessions_with_seats(upcoming)
            .annotate(
                pending=Count(
                    "enrolments",
                    filter=Q(enrolments__status=EnrolmentStatus.PENDING_APPROVAL),
                )
            )
            .select_related("programme")
            .order_by("starts_on", "pk")[: ROWS + 1]
        )
        more = len(rows) > ROWS
        sessions = []
        for session in rows[:ROWS]:
            # Seats and the waiting list are the session page's roster; the requests awaiting
            # approval, the approvals queue narrowed to this session.
            roster = reverse("wagtailsnippets_courses_session:inspect", args=[session.pk])
            sessions.append(
                {
                    "session": session,
                    "url": reverse("wagtailsnippets_courses_session:edit", args=[session.pk]),
                    "enrolled_url": f"{roster}#roster",
                    "waiting_url": f"{roster}#roster",
                    "pending_url": _url("enrolments_approvals", session=session.pk),
                }
            )
        return {
            "sessions": sessions,
            "more": more,
            "list_url": _url("wagtailsnippets_courses_session:list", ordering="starts_on"),
            "days": UPCOMING_DAYS,
        }


class ResultsToRecordPanel(HomePanel):
    """Sessions that ended with participants still without a result."""

    name = "home-results-to-record"
    heading = _("Results still to record")
    template_name = "cms/admin/home/results_to_record.html"
    order = 20

    def figures(self) -> dict:
        today = timezone.localdate()
        sessions = (
            Session.objects.filter(ends_on__lt=today)
            .exclude(status=SessionStatus.CANCELLED)
            .annotate(
                without_result=Count(
                    "enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)
                )
            )
            .filter(without_result__gt=0)
        )
        count = sessions.count()
        rows = list(sessions.select_related("programme").order_by("ends_on", "pk")[:ROWS])
        return {
            "count": count,
            "sessions": [
                {"session": s, "url": reverse("enrolments_session_results", args=[s.pk])}
                for s in rows
            ],
            "list_url": _url("enrolments:index", status="enrolled"),
        }


class CertificatesToIssuePanel(HomePanel):
    """Completions that have no certificate yet, by session."""

    name = "home-certificates-to-issue"
    heading = _("Certificates to issue")
    template_name = "cms/admin/home/certificates_to_issue.html"
    order = 30

    def figures(self) -> dict:
        pending = pending_records()
        by_session = list(
            pending.order_by()
            .values("enrolment__session")
            .annotate(n=Count("pk"), ends_on=Max("enrolment__session__ends_on"))
            .order_by("ends_on", "enrolment__session")[:ROWS]
        )
        count = pending.count()
        sessions = Session.objects.select_related("programme").in_bulk(
            [row["enrolment__session"] for row in by_session]
        )
        return {
            "count": count,
            "sessions": [
                {
                    "session": sessions[row["enrolment__session"]],
                    "count": row["n"],
                    "url": reverse("certificates_issue_session", args=[row["enrolment__session"]]),
                }
                for row in by_session
                if row["enrolment__session"] in sessions
            ],
            "list_url": reverse("certificates:index"),
        }


# -- the HR officer ---------------------------------------------------------------------------


class WaitingRequestsPanel(HomePanel):
    """Requests awaiting the user's decision (an HR officer: their state bodies only)."""

    name = "home-waiting-requests"
    heading = _("Requests waiting for you")
    template_name = "cms/admin/home/waiting_requests.html"
    order = 40

    def figures(self) -> dict:
        pending = scope_queryset(
            Enrolment.objects.filter(status=EnrolmentStatus.PENDING_APPROVAL),
            self.request.user,
            servant_path="servant",
        )
        count = pending.count()
        rows = list(
            pending.select_related("servant", "session__programme").order_by(
                "session__starts_on", "requested_at"
            )[:ROWS]
        )
        return {"count": count, "enrolments": rows, "list_url": reverse("enrolments_approvals")}


class ExpiringQualificationsPanel(HomePanel):
    """Current qualification records of the user's people that expire within 90 days."""

    name = "home-expiring-qualifications"
    heading = _("Qualifications expiring within 90 days")
    template_name = "cms/admin/home/expiring_qualifications.html"
    order = 50

    def figures(self) -> dict:
        today = timezone.localdate()
        until = today + datetime.timedelta(days=EXPIRY_DAYS)
        records = scope_queryset(
            QualificationRecord.objects.filter(
                is_current=True, valid_until__gte=today, valid_until__lte=until
            ),
            self.request.user,
            servant_path="servant",
        )
        count = records.count()
        rows = list(records.select_related("servant").order_by("valid_until", "pk")[:ROWS])
        return {
            "count": count,
            "records": [
                {"record": r, "url": reverse("records:inspect", args=[r.pk])} for r in rows
            ],
            # The list filtered to exactly what `count` counts (its scoping is the list's own).
            "list_url": _url(
                "records:index",
                is_current=CurrentOrReplaced.CURRENT,
                valid_until_from=today.isoformat(),
                valid_until_to=until.isoformat(),
            ),
        }


class OverdueAssignmentsPanel(HomePanel):
    """Mandatory training of the user's people that is overdue (computed status)."""

    name = "home-overdue-assignments"
    heading = _("Mandatory training overdue")
    template_name = "cms/admin/home/overdue_assignments.html"
    order = 45

    def figures(self) -> dict:
        from nominations.models import AssignmentStatus
        from nominations.selectors import assignments_visible_to

        overdue = assignments_visible_to(self.request.user, today=timezone.localdate()).filter(
            status=AssignmentStatus.OVERDUE
        )
        return {
            "count": overdue.count(),
            "assignments": list(overdue.order_by("due_on", "pk")[:ROWS]),
            "list_url": _url("assignments_list", status=AssignmentStatus.OVERDUE),
        }


def eligible_count(agency_ids: list[int], as_of: datetime.date) -> int | None:
    """How many people of these state bodies may be promoted without competition on `as_of`
    (promotions' eligibility engine, into the category of their own position), cached for
    half an hour per state body and day. None when no rule set is in force or the state
    bodies hold more people than the home page evaluates."""
    total = 0
    missing = []
    for pk in agency_ids:
        cached = cache.get(f"home:eligible:{pk}:{as_of.isoformat()}")
        if cached is None:
            missing.append(pk)
        else:
            total += cached
    if not missing:
        return total
    if CivilServant.objects.filter(agency_id__in=missing).count() > ELIGIBILITY_MAX_SERVANTS:
        return None
    try:
        rule = promotion_services.rule_set_on(as_of)
    except promotion_services.NoRuleSet:
        return None
    from people.models import Agency

    for agency in Agency.objects.filter(pk__in=missing):
        eligible = sum(
            1
            for result in promotion_services.eligibility_stream(
                agency=agency, as_of=as_of, rule=rule
            )
            if result.eligible
        )
        cache.set(
            f"home:eligible:{agency.pk}:{as_of.isoformat()}", eligible, ELIGIBILITY_CACHE_SECONDS
        )
        total += eligible
    return total


class PromotionEligiblePanel(HomePanel):
    """People of the HR officer's state bodies eligible for promotion without competition."""

    name = "home-promotion-eligible"
    heading = _("Eligible for promotion without competition")
    template_name = "cms/admin/home/promotion_eligible.html"
    order = 60

    def figures(self) -> dict:
        today = timezone.localdate()
        agencies = list(agencies_visible_to(self.request.user).values_list("pk", flat=True))
        return {
            "count": eligible_count(agencies, today) if agencies else 0,
            "as_of": today,
            "list_url": reverse("promotions_check"),
        }


class LastImportsPanel(HomePanel):
    name = "home-last-imports"
    heading = _("Your last imports")
    template_name = "cms/admin/home/last_imports.html"
    order = 70

    def figures(self) -> dict:
        from .admin_records import KIND_LABELS

        batches = list(ImportBatch.objects.filter(user=self.request.user).order_by("-pk")[:5])
        return {
            "batches": [
                {
                    "batch": b,
                    "kind": KIND_LABELS.get(b.kind, b.kind),
                    "when": timezone.localtime(b.created_at),
                }
                for b in batches
            ],
            "list_url": reverse("cms_import"),
        }


# -- the auditor -----------------------------------------------------------------------------


def meritocracy_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The current period: this year so far; when no competition has been held in it yet,
    the last year that had one (the register is filled after the fact)."""
    start = datetime.date(today.year, 1, 1)
    from promotions.models import Competition

    latest = Competition.objects.filter(held_on__lte=today).aggregate(last=Max("held_on"))["last"]
    if latest is None or latest >= start:
        return start, today
    return datetime.date(latest.year, 1, 1), datetime.date(latest.year, 12, 31)


class MeritocracyPanel(HomePanel):
    name = "home-meritocracy"
    heading = _("Meritocracy level")
    template_name = "cms/admin/home/meritocracy.html"
    order = 80

    def figures(self) -> dict:
        start, end = meritocracy_period(timezone.localdate())
        level = promotion_selectors.meritocracy_level(start=start, end=end)
        return {
            "level": level,
            "start": start,
            "end": end,
            "list_url": _url("promotions_dashboard", start=start.isoformat(), end=end.isoformat()),
        }


class LatestAuditPanel(HomePanel):
    name = "home-latest-audit"
    heading = _("Latest audit entries")
    template_name = "cms/admin/home/latest_audit.html"
    order = 90

    def figures(self) -> dict:
        entries = list(
            LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")[:ROWS]
        )
        return {
            "entries": [
                {
                    "when": audit_display.entry_time(e),
                    "who": audit_display.entry_actor(e),
                    "action": audit_display.entry_action(e),
                    "what": audit_display.entry_model(e),
                    "record": e.object_repr,
                    "url": reverse("audit_trail:inspect", args=[e.pk]),
                }
                for e in entries
            ],
            "list_url": reverse("audit_trail:index"),
        }


def panels_for(request) -> list[HomePanel]:
    user = request.user
    superuser = user.is_superuser
    panels: list[type[HomePanel]] = [NotificationsPanel]
    if superuser or is_academy_manager(user):
        panels += [UpcomingSessionsPanel, ResultsToRecordPanel, CertificatesToIssuePanel]
    if superuser or is_hr_officer(user):
        panels += [
            WaitingRequestsPanel,
            OverdueAssignmentsPanel,
            ExpiringQualificationsPanel,
            PromotionEligiblePanel,
            LastImportsPanel,
        ]
    elif is_academy_manager(user) and may_decide_enrolments(user):
        panels.append(WaitingRequestsPanel)
    if superuser or is_auditor(user):
        panels += [MeritocracyPanel, LatestAuditPanel]
    return [panel(request) for panel in panels]
