"""Writes for yearly training plans. Admin screens and the demo call these only.

Invariants kept here:
- an HR officer changes the plans of their own state bodies only; the academy any plan;
- a plan of a locked year (its deadline passed, or the academy locked it) is changed by the
  academy only, on the state body's request: an HR officer's change is refused with a message
  saying so and whom to ask, and nothing is written;
- a line names a programme, or a kind of training with its academic hours; a quarter 1–4; at
  least one person, and no fewer people than it names; the people named work for the plan's
  state body;
- every change writes a history entry on the plan (or the year) naming who made it;
- sessions created from the demand are created all or none, each through
  `courses.services.session_create`, each within the chosen quarter.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.dates import quarter_end
from core.models import branch_settings
from courses.models import Programme, Session, SessionLanguage
from courses.services import session_create
from people.authorization import may_decide_enrolments, may_run_sessions
from people.models import Agency, CivilServant
from people.scoping import agencies_visible_to

from .models import PlanLine, PlanningYear, PlanStatus, TrainingPlan


class PlanLocked(ValidationError):
    """The year's plans are locked: HR asks the academy to make the change."""


# -- who may ------------------------------------------------------------------------------


def may_plan(user) -> bool:
    """The plan screen: HR officers (their state bodies) and the academy (all)."""
    return may_decide_enrolments(user)


def may_manage_plans(user) -> bool:
    """Deadlines, locks, the demand and sessions from it: the academy."""
    return may_run_sessions(user)


def _require_agency(actor, agency: Agency) -> None:
    if not may_plan(actor) or not agencies_visible_to(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied(
            _("You may change the training plans of your own state bodies only.")
        )


def _require_open(actor, year: PlanningYear) -> None:
    if not year.is_locked() or may_manage_plans(actor):
        return
    settings = branch_settings()
    contact = ", ".join(c for c in (settings.email, settings.phone) if c)
    message = _(
        "The training plans for %(year)s are locked (the submission deadline was "
        "%(deadline)s). Changes are now made by the academy branch on your request."
    ) % {"year": year.year, "deadline": date_format(year.submission_deadline, "d.m.Y")}
    if contact:
        message += " " + _("Write to the academy branch: %(contact)s.") % {"contact": contact}
    raise PlanLocked(message, code="locked")


# -- the year -------------------------------------------------------------------------------


def planning_year_set(*, actor, year: int, submission_deadline: datetime.date) -> PlanningYear:
    """Open a year for plans, or move its deadline (the academy)."""
    if not may_manage_plans(actor):
        raise PermissionDenied
    with transaction.atomic():
        planning_year, created = PlanningYear.objects.select_for_update().get_or_create(
            year=year, defaults={"submission_deadline": submission_deadline}
        )
        if not created:
            planning_year.submission_deadline = submission_deadline
        planning_year.full_clean()
        planning_year.save()
        log(
            instance=planning_year,
            action="plans.year.deadline_set",
            user=actor,
            data={"deadline": submission_deadline.isoformat()},
        )
    return planning_year


def plan_year_lock(*, actor, planning_year: PlanningYear) -> PlanningYear:
    """Lock the year's plans now, before the deadline (the academy)."""
    if not may_manage_plans(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = PlanningYear.objects.select_for_update().get(pk=planning_year.pk)
        if locked.locked_at is None:
            locked.locked_at = timezone.now()
            locked.save(update_fields=["locked_at"])
            log(instance=locked, action="plans.year.locked", user=actor)
    return locked


# -- the lines ------------------------------------------------------------------------------


def _clean_line(
    *,
    agency: Agency,
    programme: Programme | None,
    kind: str,
    hours: int | None,
    quarter: int,
    people_count: int,
    servants: list[CivilServant],
) -> None:
    errors: dict[str, list[str]] = {}
    if programme is None and not (kind and hours):
        errors.setdefault("programme", []).append(
            _("Choose a programme, or a kind of training and its academic hours.")
        )
    if quarter not in (1, 2, 3, 4):
        errors.setdefault("quarter", []).append(_("The quarter is 1, 2, 3 or 4."))
    if not people_count or people_count < 1:
        errors.setdefault("people_count", []).append(_("Plan at least one person."))
    elif len(servants) > people_count:
        errors.setdefault("people_count", []).append(
            _("%(named)s people are named but only %(count)s planned: plan at least as many.")
            % {"named": len(servants), "count": people_count}
        )
    strangers = [s.full_name for s in servants if s.agency_id != agency.pk]
    if strangers:
        errors.setdefault("servants", []).append(
            _("%(names)s work for another state body: name people of %(agency)s only.")
            % {"names": ", ".join(strangers), "agency": agency.name}
        )
    if errors:
        raise ValidationError(errors)


def _line_data(line: PlanLine) -> dict:
    return {
        "programme": line.programme.code if line.programme_id else None,
        "kind": line.kind,
        "hours": line.hours,
        "quarter": line.quarter,
        "people": line.people_count,
        "named": sorted(line.servants.values_list("pk", flat=True)),
    }


def plan_line_add(
    *,
    actor,
    agency: Agency,
    planning_year: PlanningYear,
    quarter: int,
    people_count: int,
    programme: Programme | None = None,
    kind: str = "",
    hours: int | None = None,
    servants: Iterable[CivilServant] = (),
) -> PlanLine:
    """Add a line to the state body's plan for the year (the plan is made on its first line)."""
    _require_agency(actor, agency)
    servants = list(servants)
    with transaction.atomic():
        # Locked so a lock or a deadline change cannot slip between the check and the write.
        year = PlanningYear.objects.select_for_update().get(pk=planning_year.pk)
        _require_open(actor, year)
        _clean_line(
            agency=agency,
            programme=programme,
            kind="" if programme else kind,
            hours=None if programme else hours,
            quarter=quarter,
            people_count=people_count,
            servants=servants,
        )
        plan, _created = TrainingPlan.objects.get_or_create(agency=agency, year=year)
        line = PlanLine.objects.create(
            plan=plan,
            programme=programme,
            kind="" if programme else kind,
            hours=None if programme else hours,
            quarter=quarter,
            people_count=people_count,
        )
        line.servants.set(servants)
        plan.save(update_fields=["updated_at"])
        log(instance=plan, action="plans.line.added", user=actor, data=_line_data(line))
    return line


def plan_line_update(
    *,
    actor,
    line: PlanLine,
    quarter: int,
    people_count: int,
    programme: Programme | None = None,
    kind: str = "",
    hours: int | None = None,
    servants: Iterable[CivilServant] = (),
) -> PlanLine:
    plan = line.plan
    _require_agency(actor, plan.agency)
    servants = list(servants)
    with transaction.atomic():
        year = PlanningYear.objects.select_for_update().get(pk=plan.year_id)
        _require_open(actor, year)
        _clean_line(
            agency=plan.agency,
            programme=programme,
            kind="" if programme else kind,
            hours=None if programme else hours,
            quarter=quarter,
            people_count=people_count,
            servants=servants,
        )
        line = PlanLine.objects.select_for_update().get(pk=line.pk)
        before = _line_data(line)
        line.programme = programme
        line.kind = "" if programme else kind
        line.hours = None if programme else hours
        line.quarter = quarter
        line.people_count = people_count
        line.save()
        line.servants.set(servants)
        plan.save(update_fields=["updated_at"])
        log(
            instance=plan,
            action="plans.line.changed",
            user=actor,
            data={"before": before, "after": _line_data(line)},
        )
    return line


def plan_line_remove(*, actor, line: PlanLine) -> None:
    plan = line.plan
    _require_agency(actor, plan.agency)
    with transaction.atomic():
        year = PlanningYear.objects.select_for_update().get(pk=plan.year_id)
        _require_open(actor, year)
        data = _line_data(line)
        line.delete()
        plan.save(update_fields=["updated_at"])
        log(instance=plan, action="plans.line.removed", user=actor, data=data)


def plan_submit(*, actor, plan: TrainingPlan) -> TrainingPlan:
    """HR states the plan is theirs for the year; the academy's demand counts it from now.
    It may still be corrected until the lock (each change in its history)."""
    _require_agency(actor, plan.agency)
    with transaction.atomic():
        year = PlanningYear.objects.select_for_update().get(pk=plan.year_id)
        _require_open(actor, year)
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        if not plan.lines.exists():
            raise ValidationError(
                _("The plan has no lines yet: add at least one before submitting.")
            )
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        plan.submitted_by = actor
        plan.save()
        log(instance=plan, action="plans.plan.submitted", user=actor)
    return plan


# -- sessions from the demand -----------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 3 * quarter - 2, 1), quarter_end((year, quarter))


def sessions_create_from_demand(
    *,
    actor,
    planning_year: PlanningYear,
    programme: Programme,
    quarter: int,
    count: int,
    first_starts_on: datetime.date,
    days: int,
    every_days: int,
    capacity: int,
    language: str = SessionLanguage.BOTH,
    location_kk: str = "",
    location_ru: str = "",
) -> list[Session]:
    """`count` sessions of `programme`, the first starting on `first_starts_on`, each lasting
    `days` days, the next starting `every_days` later; every one within the quarter. All or
    none: a session that would fall outside the quarter refuses the whole request."""
    if not may_manage_plans(actor):
        raise PermissionDenied
    if count < 1 or days < 1 or every_days < 0:
        raise ValidationError(_("Give at least one session of at least one day."))
    if count > 1 and every_days < 1:
        raise ValidationError(_("Sessions must start on different days: give the interval."))
    if first_starts_on < timezone.localdate():
        raise ValidationError(
            {
                "first_starts_on": _(
                    "Sessions are planned ahead: the first cannot start in the past."
                )
            }
        )
    starts_on_min, ends_on_max = quarter_bounds(planning_year.year, quarter)
    dates = []
    for index in range(count):
        starts_on = first_starts_on + datetime.timedelta(days=index * every_days)
        ends_on = starts_on + datetime.timedelta(days=days - 1)
        if starts_on < starts_on_min or ends_on > ends_on_max:
            raise ValidationError(
                _(
                    "Session %(number)s (%(start)s – %(end)s) falls outside quarter "
                    "%(quarter)s of %(year)s (%(first)s – %(last)s)."
                )
                % {
                    "number": index + 1,
                    "start": date_format(starts_on, "d.m.Y"),
                    "end": date_format(ends_on, "d.m.Y"),
                    "quarter": quarter,
                    "year": planning_year.year,
                    "first": date_format(starts_on_min, "d.m.Y"),
                    "last": date_format(ends_on_max, "d.m.Y"),
                }
            )
        dates.append((starts_on, ends_on))
    with transaction.atomic():
        sessions = [
            session_create(
                actor=actor,
                programme=programme,
                starts_on=starts_on,
                ends_on=ends_on,
                capacity=capacity,
                language=language,
                location_kk=location_kk,
                location_ru=location_ru,
            ).session
            for starts_on, ends_on in dates
        ]
        log(
            instance=planning_year,
            action="plans.sessions.created",
            user=actor,
            data={
                "programme": programme.code,
                "quarter": quarter,
                "sessions": [s.pk for s in sessions],
            },
        )
    return sessions
