"""My learning's block of nominations: `{% load nominations %}{% my_nominations servant %}`."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nominations.models import NominatorRole
from nominations.selectors import TrainingDue, nominations_of

register = template.Library()


def nominated_by_line(nomination) -> str:
    """ "Nominated by the HR officer of <state body> on 05.12.2026" in the active language."""
    day = date_format(nomination.created_at, "d.m.Y")
    if nomination.nominated_as == NominatorRole.ACADEMY:
        return _("Nominated by the academy on %(date)s") % {"date": day}
    return _("Nominated by the HR officer of %(agency)s on %(date)s") % {
        "agency": nomination.servant.agency.name,
        "date": day,
    }


@register.simple_tag
def nomination_line(nomination) -> str:
    return nominated_by_line(nomination)


@register.simple_tag
def due_sentence(nomination) -> str:
    due = TrainingDue.from_basis(nomination.due_basis)
    return due.sentence if due else ""


@register.inclusion_tag("nominations/my_nominations.html", takes_context=True)
def my_nominations(context, servant):
    from enrolments.selectors import waitlist_places

    nominations = _nominations(servant)
    places = waitlist_places([n.enrolment for n in nominations])
    for nomination in nominations:
        nomination.place = places.get(nomination.enrolment_id)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "nominations": nominations,
        "today": context.get("today"),
    }


@register.simple_tag
def nominated_enrolment_ids(servant) -> set:
    """Enrolments the person was nominated to (My learning offers a request, not Withdraw)."""
    return {nomination.enrolment_id for nomination in _nominations(servant)}


def _nominations(servant) -> list:
    """`nominations_of(servant)`, read once per page (both tags above use it)."""
    if not hasattr(servant, "_my_nominations"):
        servant._my_nominations = nominations_of(servant)
    return servant._my_nominations


@register.inclusion_tag("nominations/my_assignments.html")
def my_assignments(servant):
    """My learning's block of the person's open mandatory training."""
    from django.utils import timezone

    from nominations.selectors import open_assignments_of

    return {"assignments": open_assignments_of(servant, today=timezone.localdate())}
