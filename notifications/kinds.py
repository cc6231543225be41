"""How each kind of notification is worded: from its stored values, in the active language.

A kind's function returns the headline (the e-mail subject and the line in the in-app list)
and the paragraphs of the e-mail. Adding a kind: a `Kind` member, a function here, and a call
to `services.notify` where the event happens (docs/notifications.md)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .models import Kind

DATE = "%d.%m.%Y"


@dataclass
class Rendered:
    subject: str
    lines: list[str] = field(default_factory=list)


def in_language(value, language: str | None = None) -> str:
    """A name stored per language ({"kk": …, "ru": …, "en": …}) in the reader's language,
    falling back kk → ru → en, as `core.i18n.localized_field` does; a plain string as it is."""
    if not isinstance(value, dict):
        return str(value or "")
    lang = (language or get_language() or "kk")[:2]
    for code in (lang, "kk", "ru", "en"):
        if value.get(code):
            return value[code]
    return ""


def day(value: str | None) -> str:
    return datetime.date.fromisoformat(value).strftime(DATE) if value else ""


def _session_line(p: dict) -> str:
    dates = f"{day(p.get('starts_on'))} – {day(p.get('ends_on'))}"
    code = f" ({p['code']})" if p.get("code") else ""
    return f"  {in_language(p.get('title'))}{code}\n  {dates}"


def _nominated(p: dict) -> Rendered:
    title = in_language(p.get("title"))
    if p.get("by_academy"):
        by = _("Nominated by the academy on %(date)s") % {"date": day(p.get("on"))}
    else:
        by = _("Nominated by the HR officer of %(agency)s on %(date)s") % {
            "agency": in_language(p.get("agency")),
            "date": day(p.get("on")),
        }
    lines = [f"{by}:", _session_line(p)]
    if p.get("place"):
        lines.append(
            _(
                "The session is full: you are number %(place)s on the waiting list. You move "
                "up as seats free."
            )
            % {"place": p["place"]}
        )
    else:
        lines.append(_("You are enrolled."))
    if p.get("reason"):
        lines.append(f"{_('Reason:')} {p['reason']}")
    lines.append(
        _("If you cannot attend, ask to be withdrawn on My learning; your HR officer decides.")
    )
    return Rendered(_("You are nominated for training: %(title)s") % {"title": title}, lines)


def _waitlist_promoted(p: dict) -> Rendered:
    title = in_language(p.get("title"))
    lines = [_("A seat became free and it is now yours:"), _session_line(p)]
    if p.get("needs_approval"):
        lines.append(_("Your request now awaits approval by your HR officer or the academy."))
    return Rendered(_("A seat is yours: %(title)s") % {"title": title}, lines)


def _certificate_issued(p: dict) -> Rendered:
    title = in_language(p.get("title"))
    lines = [
        _("Your certificate %(serial)s is issued for:") % {"serial": p.get("serial", "")},
        f"  {title}\n  "
        + _("Academic hours: %(hours)s; completed on %(date)s")
        % {"hours": p.get("hours", ""), "date": day(p.get("completed_on"))},
        _("Anyone can check that it is genuine at:") + " " + p.get("verify_url", ""),
    ]
    return Rendered(_("Your certificate is issued: %(title)s") % {"title": title}, lines)


def _qualification_expiring(p: dict) -> Rendered:
    title = in_language(p.get("title"))
    lines = [
        _("Your qualification record expires on %(date)s:") % {"date": day(p.get("valid_until"))},
        f"  {title}",
        _("To keep your qualification, enrol in a qualification upgrade programme in time."),
    ]
    return Rendered(
        _("Your qualification expires on %(date)s: %(title)s")
        % {"date": day(p.get("valid_until")), "title": title},
        lines,
    )


def _staff_qualification_expiring(p: dict) -> Rendered:
    title = in_language(p.get("title"))
    lines = [
        _("The qualification record of %(name)s expires on %(date)s:")
        % {"name": p.get("servant", ""), "date": day(p.get("valid_until"))},
        f"  {title}",
    ]
    return Rendered(
        _("Qualification expires on %(date)s: %(name)s")
        % {"date": day(p.get("valid_until")), "name": p.get("servant", "")},
        lines,
    )


def _approvals_waiting(p: dict) -> Rendered:
    count = int(p.get("count", 0))
    subject = ngettext(
        "%(count)s request waits for your approval",
        "%(count)s requests wait for your approval",
        count,
    ) % {"count": count}
    lines = [_("These requests wait for your decision:")]
    for item in p.get("items", []):
        if item.get("type") == "withdrawal":
            what = _("asks to be withdrawn from %(title)s") % {
                "title": in_language(item.get("title"))
            }
        else:
            what = _("asks to be enrolled in %(title)s") % {"title": in_language(item.get("title"))}
        lines.append(f"  {item.get('name', '')}: {what} ({day(item.get('starts_on'))})")
    more = count - len(p.get("items", []))
    if more > 0:
        lines.append(
            ngettext("… and %(count)s more.", "… and %(count)s more.", more) % {"count": more}
        )
    return Rendered(subject, lines)


def _assigned_training(p: dict) -> str:
    if p.get("title"):
        code = f" ({p['code']})" if p.get("code") else ""
        return f"{in_language(p.get('title'))}{code}"
    hours = int(p.get("hours") or 0)
    return ngettext(
        "Qualification upgrade of at least %(hours)s academic hour",
        "Qualification upgrade of at least %(hours)s academic hours",
        hours,
    ) % {"hours": hours}


def _assignment_reminder(p: dict) -> Rendered:
    what, due = _assigned_training(p), day(p.get("due_on"))
    if p.get("overdue"):
        subject = _("Your mandatory training is overdue: %(training)s") % {"training": what}
        lines = [
            _("This mandatory training was due by %(date)s and is not completed:") % {"date": due}
        ]
    else:
        subject = _("Your mandatory training is due by %(date)s: %(training)s") % {
            "date": due,
            "training": what,
        }
        lines = [_("You are to complete this mandatory training by %(date)s:") % {"date": due}]
    lines += [
        f"  {what}",
        _(
            "Enrol in a session in time (My learning shows your assignments), or ask your HR "
            "officer."
        ),
    ]
    return Rendered(subject, lines)


def _staff_assignment_reminder(p: dict) -> Rendered:
    what, due, name = _assigned_training(p), day(p.get("due_on")), p.get("servant", "")
    if p.get("overdue"):
        subject = _("Mandatory training overdue: %(name)s") % {"name": name}
        first = _("The mandatory training of %(name)s was due by %(date)s and is not completed:")
    else:
        subject = _("Mandatory training due by %(date)s: %(name)s") % {"date": due, "name": name}
        first = _("The mandatory training of %(name)s is due by %(date)s:")
    return Rendered(subject, [first % {"name": name, "date": due}, f"  {what}"])


RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    Kind.NOMINATED: _nominated,
    Kind.WAITLIST_PROMOTED: _waitlist_promoted,
    Kind.CERTIFICATE_ISSUED: _certificate_issued,
    Kind.QUALIFICATION_EXPIRING: _qualification_expiring,
    Kind.STAFF_QUALIFICATION_EXPIRING: _staff_qualification_expiring,
    Kind.APPROVALS_WAITING: _approvals_waiting,
    Kind.ASSIGNMENT_REMINDER: _assignment_reminder,
    Kind.STAFF_ASSIGNMENT_REMINDER: _staff_assignment_reminder,
}


def render(notification) -> Rendered:
    """The notification worded in the active language."""
    return RENDERERS[notification.kind](notification.params or {})
