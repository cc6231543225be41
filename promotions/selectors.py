"""Reads of the promotions app: the meritocracy figures (the dashboard, the demo's check)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from core.dates import add_years
from people.models import Agency

from .models import Competition, CompetitionOutcome, MeritAppointment

# Competitions that took place: a failed one was not held.
_HELD = ~Q(outcome=CompetitionOutcome.FAILED)
_PROMOTED = Q(outcome=CompetitionOutcome.PROMOTED)


@dataclass
class MeritocracyLevel:
    held: int
    promoted: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.promoted / self.held, 1) if self.held else None


def year_earlier(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    return add_years(start, -1), add_years(end, -1)


def meritocracy_level(
    *, start: datetime.date, end: datetime.date, agency: Agency | None = None
) -> MeritocracyLevel:
    """Competitions that ended with an appointment to a higher position ÷ competitions held
    (those that took place: outcome promoted or appointed), for a period and region/agency."""
    competitions = Competition.objects.filter(held_on__gte=start, held_on__lte=end).filter(_HELD)
    if agency is not None:
        competitions = competitions.filter(agency=agency)
    counts = competitions.aggregate(held=Count("pk"), promoted=Count("pk", filter=_PROMOTED))
    return MeritocracyLevel(held=counts["held"], promoted=counts["promoted"])


@dataclass
class MonitoringFigures:
    violations: int
    officials_liable: int
    decisions_cancelled: int
    reruns: int


def monitoring_figures(
    *, start: datetime.date, end: datetime.date, agency: Agency | None = None
) -> MonitoringFigures:
    competitions = Competition.objects.filter(held_on__gte=start, held_on__lte=end)
    if agency is not None:
        competitions = competitions.filter(agency=agency)
    totals = competitions.aggregate(
        violations=Sum("violations"),
        liable=Sum("officials_liable"),
        cancelled=Count("pk", filter=Q(decision_cancelled=True)),
        reruns=Count("pk", filter=Q(rerun_of__isnull=False)),
    )
    return MonitoringFigures(
        totals["violations"] or 0, totals["liable"] or 0, totals["cancelled"], totals["reruns"]
    )


def merit_appointments(
    *, start: datetime.date, end: datetime.date, agency: Agency | None = None
) -> int:
    """Appointments under the merit rule (without competition) made in the period."""
    appointments = MeritAppointment.objects.filter(appointed_on__gte=start, appointed_on__lte=end)
    if agency is not None:
        appointments = appointments.filter(agency=agency)
    return appointments.count()


@dataclass
class AgencyFigures:
    agency: Agency
    level: MeritocracyLevel
    earlier: MeritocracyLevel
    merit: int


def meritocracy_by_agency(
    *, agencies: list[Agency], start: datetime.date, end: datetime.date
) -> list[AgencyFigures]:
    """Per agency, in the order given: `meritocracy_level` for the period and a year earlier,
    and `merit_appointments` — the same figures in two queries whatever the number of agencies
    (one grouped count of competitions for both periods, one of appointments)."""
    before_start, before_end = year_earlier(start, end)
    now = Q(held_on__gte=start, held_on__lte=end) & _HELD
    before = Q(held_on__gte=before_start, held_on__lte=before_end) & _HELD
    ids = [a.pk for a in agencies]
    competitions = {
        row["agency_id"]: row
        for row in Competition.objects.filter(agency_id__in=ids)
        .filter(
            held_on__gte=min(start, before_start),
            held_on__lte=max(end, before_end),
        )
        .order_by()
        .values("agency_id")
        .annotate(
            held=Count("pk", filter=now),
            promoted=Count("pk", filter=now & _PROMOTED),
            held_before=Count("pk", filter=before),
            promoted_before=Count("pk", filter=before & _PROMOTED),
        )
    }
    merit = dict(
        MeritAppointment.objects.filter(
            agency_id__in=ids, appointed_on__gte=start, appointed_on__lte=end
        )
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    empty = {"held": 0, "promoted": 0, "held_before": 0, "promoted_before": 0}
    rows = []
    for agency in agencies:
        row = competitions.get(agency.pk, empty)
        rows.append(
            AgencyFigures(
                agency=agency,
                level=MeritocracyLevel(held=row["held"], promoted=row["promoted"]),
                earlier=MeritocracyLevel(held=row["held_before"], promoted=row["promoted_before"]),
                merit=merit.get(agency.pk, 0),
            )
        )
    return rows


def competition_years(*, agencies=None) -> list[int]:
    """The years in which the register holds competitions that took place, oldest first
    (`agencies`: only those state bodies' competitions; None: the whole region). One query."""
    competitions = Competition.objects.filter(_HELD)
    if agencies is not None:
        competitions = competitions.filter(agency__in=agencies)
    return sorted(day.year for day in competitions.dates("held_on", "year"))
