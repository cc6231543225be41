"""Reads for training plans: the plans a user sees, the academy's demand (people summed per
programme and quarter across state bodies) and plan against actual. Never imports services."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth

from courses.models import Programme
from enrolments.models import Enrolment, EnrolmentStatus
from people.models import Agency
from people.scoping import agency_scope_queryset

from .models import PlanLine, PlanningYear, PlanStatus, TrainingPlan, training_label

# Enrolments that got a place in the session (completed or not): "enrolled" against the plan.
PLACED = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.FAILED,
    EnrolmentStatus.NO_SHOW,
)


def plans_visible_to(user) -> QuerySet[TrainingPlan]:
    return agency_scope_queryset(TrainingPlan.objects.all(), user).select_related("agency", "year")


def plan_lines(plan: TrainingPlan | None) -> list[PlanLine]:
    if plan is None:
        return []
    return list(
        plan.lines.select_related("programme")
        .prefetch_related("servants")
        .order_by("quarter", "pk")
    )


def current_planning_year(today: datetime.date) -> PlanningYear | None:
    """The year whose plans are being collected: the next open one, else the latest."""
    years = PlanningYear.objects.order_by("year")
    return (
        years.filter(locked_at__isnull=True, submission_deadline__gte=today).first() or years.last()
    )


@dataclass
class DemandRow:
    quarter: int
    programme: Programme | None
    kind: str
    hours: int | None
    people: int = 0
    named: int = 0
    agencies: list[tuple[Agency, int]] = field(default_factory=list)

    @property
    def what(self) -> str:
        return training_label(self.programme, self.kind, self.hours)

    @property
    def key(self) -> str:
        """The row's id in forms and URLs: p<programme id> or k<kind>-<hours>."""
        return f"p{self.programme.pk}" if self.programme else f"k{self.kind}-{self.hours}"


def demand(planning_year: PlanningYear) -> list[DemandRow]:
    """People planned per programme (or kind and hours) and quarter, summed over the submitted
    plans of the year, with the state bodies behind each figure."""
    rows: dict[tuple, DemandRow] = {}
    lines = (
        PlanLine.objects.filter(plan__year=planning_year, plan__status=PlanStatus.SUBMITTED)
        .select_related("programme", "plan__agency")
        .annotate(named_count=Count("servants"))
        .order_by("quarter", "programme__code", "kind", "hours", "plan__agency__name_ru")
    )
    for line in lines:
        key = (line.quarter, line.programme_id, line.kind, line.hours)
        row = rows.get(key)
        if row is None:
            row = rows[key] = DemandRow(line.quarter, line.programme, line.kind, line.hours)
        row.people += line.people_count
        row.named += line.named_count
        if row.agencies and row.agencies[-1][0].pk == line.plan.agency_id:
            row.agencies[-1] = (line.plan.agency, row.agencies[-1][1] + line.people_count)
        else:
            row.agencies.append((line.plan.agency, line.people_count))
    return sorted(
        rows.values(),
        key=lambda r: (
            r.quarter,
            r.programme is None,
            r.programme.code if r.programme else "",
            r.kind,
            r.hours or 0,
        ),
    )


def agencies_without_submitted_plan(planning_year: PlanningYear) -> QuerySet[Agency]:
    submitted = TrainingPlan.objects.filter(year=planning_year, status=PlanStatus.SUBMITTED)
    return Agency.objects.exclude(pk__in=submitted.values("agency")).order_by("name_ru")


@dataclass
class PlanActualRow:
    agency: Agency
    programme: Programme | None  # None: a kind of training of at least `hours` hours
    kind: str
    hours: int | None
    quarter: int
    planned: int
    enrolled: int
    completed: int

    @property
    def what(self) -> str:
        return training_label(self.programme, self.kind, self.hours)


def plan_against_actual(
    year: int | PlanningYear, agencies: QuerySet[Agency] | list[Agency] | None = None
) -> list[PlanActualRow]:
    """Per state body, planned line (programme or kind and hours) and quarter: people planned
    in the submitted and draft plans, people of that state body who got a place in a session
    of that programme starting in that quarter (`enrolled`: enrolled, completed, not passed or
    absent) and who completed it. A kind-and-hours line counts sessions of programmes of that
    kind with at least those hours that the state body did not plan by name that quarter.
    `agencies=None`: every state body."""
    year_number = year.year if isinstance(year, PlanningYear) else int(year)
    lines = PlanLine.objects.filter(plan__year__year=year_number).select_related(
        "programme", "plan__agency"
    )
    if agencies is not None:
        lines = lines.filter(plan__agency__in=agencies)
    planned: dict[tuple, int] = defaultdict(int)
    keys: dict[tuple, tuple] = {}
    for line in lines:
        key = (line.plan.agency_id, line.programme_id, line.kind, line.hours, line.quarter)
        planned[key] += line.people_count
        keys[key] = (line.plan.agency, line.programme)
    if not planned:
        return []
    agency_ids = {key[0] for key in planned}
    # Places per state body, programme and quarter in one grouped query.
    actual = (
        Enrolment.objects.filter(
            servant__agency_id__in=agency_ids,
            session__starts_on__year=year_number,
            status__in=PLACED,
        )
        .annotate(month=ExtractMonth("session__starts_on"))
        .values(
            "servant__agency_id",
            "session__programme_id",
            "session__programme__kind",
            "session__programme__academic_hours",
            "month",
        )
        .annotate(
            placed=Count("pk"),
            done=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        )
    )
    by_programme: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: list[tuple] = []
    for row in actual:
        quarter = (row["month"] - 1) // 3 + 1
        figures = by_programme[(row["servant__agency_id"], row["session__programme_id"], quarter)]
        figures[0] += row["placed"]
        figures[1] += row["done"]
        by_kind.append(
            (
                row["servant__agency_id"],
                row["session__programme_id"],
                row["session__programme__kind"],
                row["session__programme__academic_hours"],
                quarter,
                row["placed"],
                row["done"],
            )
        )
    named = {(key[0], key[1], key[4]) for key in planned if key[1] is not None}
    result = []
    for key, people in planned.items():
        agency_id, programme_id, kind, hours, quarter = key
        if programme_id is not None:
            enrolled, completed = by_programme.get((agency_id, programme_id, quarter), (0, 0))
        else:
            enrolled = completed = 0
            for a_id, p_id, p_kind, p_hours, q, placed, done in by_kind:
                if (
                    a_id == agency_id
                    and q == quarter
                    and p_kind == kind
                    and p_hours >= (hours or 0)
                    and (a_id, p_id, q) not in named
                ):
                    enrolled += placed
                    completed += done
        agency, programme = keys[key]
        result.append(
            PlanActualRow(agency, programme, kind, hours, quarter, people, enrolled, completed)
        )
    result.sort(
        key=lambda r: (
            r.agency.name_ru,
            r.quarter,
            r.programme.code if r.programme else "~",
            r.kind,
            r.hours or 0,
        )
    )
    return result
