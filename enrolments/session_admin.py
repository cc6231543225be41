"""The sessions as the academy runs them: the list (dates, seats, waiting list, requests awaiting
approval; soonest first; upcoming / running / finished) and a session's page with its roster
and the actions that fit its state.

courses declares the session's form (`courses.wagtail_hooks.SessionViewSet`); the list and the
page read enrolments, so the viewset is completed and registered here (courses never imports
enrolments). The actions come from every app's `register_snippet_listing_buttons` hook, the
same ones the list's row menu shows, so the page and the menu always offer the same things."""

import django_filters
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView, InspectView

from core.filters import labelled_filterset
from courses.models import Session, SessionPhase
from courses.selectors import phase_query, sessions_soonest_first
from courses.wagtail_hooks import SessionViewSet
from people.scoping import scope_queryset

from .models import EnrolmentStatus
from .selectors import roster, sessions_at_a_glance


def dates(session: Session) -> str:
    return f"{session.starts_on:%d.%m.%Y} – {session.ends_on:%d.%m.%Y}"


def _filter_phase(filterset, queryset, name, value):
    return queryset.filter(phase_query(value, timezone.localdate())) if value else queryset


SessionFilterSet = labelled_filterset(
    Session,
    ["status", "language", "programme__kind"],
    {"programme__kind": _("programme kind")},
    attrs={
        "phase": django_filters.ChoiceFilter(
            label=capfirst(_("when")), choices=SessionPhase.choices, method="filter_phase"
        ),
        "filter_phase": _filter_phase,
    },
)


class SessionIndexView(IndexView):
    """Seats, waiting list and pending requests are annotated in the list's one query."""

    def get_base_queryset(self):
        return sessions_at_a_glance(super().get_base_queryset()).select_related("programme")

    def get_ordering(self):
        return super().get_ordering() if self.is_explicitly_ordered else None

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        return sessions_soonest_first(queryset)


def session_actions(session: Session, user) -> list[dict]:
    """What the apps offer for this session (results, certificates, cancelling…): label and
    address, each offered only when it fits the session's state (the hooks decide)."""
    items = []
    for hook in hooks.get_hooks("register_snippet_listing_buttons"):
        for item in hook(session, user, None):
            if isinstance(item, MenuItem) and item.is_shown(user):
                items.append(item)
    return [{"label": item.label, "url": item.url} for item in sorted(items)]


class SessionPageView(InspectView):
    """A session's page: its facts, the actions that fit its state and its roster (scoped:
    an HR officer sees the people of their own state bodies only)."""

    template_name = "enrolments/admin/session.html"

    def get_page_title(self):
        return str(self.object.programme.title)

    def get_page_subtitle(self):
        return dates(self.object)

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(
            sessions_at_a_glance(Session.objects.select_related("programme")), pk=self.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session, user = self.object, self.request.user
        people = roster(scope_queryset(session.enrolments.all(), user, servant_path="servant"))
        context.update(
            session=session,
            dates=dates(session),
            phase=session.get_phase_display(),
            actions=session_actions(session, user),
            roster=people,
            waitlisted=EnrolmentStatus.WAITLISTED,
        )
        return context


class AcademySessionViewSet(SessionViewSet):
    index_view_class = SessionIndexView
    inspect_view_class = SessionPageView
    inspect_view_enabled = True
    list_display = [
        "programme",
        Column("dates", label=_("Dates"), accessor=dates, sort_key="starts_on"),
        "language",
        Column(
            "seats",
            label=_("Seats taken"),
            accessor=lambda s: f"{s.seats_taken} / {s.capacity}",
            sort_key="seats_taken",
        ),
        Column("waitlist_length", label=_("Waiting"), sort_key="waitlist_length"),
        Column("pending_count", label=_("Awaiting approval"), sort_key="pending_count"),
        Column("phase", label=_("State"), accessor=lambda s: capfirst(s.get_phase_display())),
    ]
    filterset_class = SessionFilterSet
    ordering = None
