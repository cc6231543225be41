"""The academy's annual report: figures for one calendar year, read from the records.

What counts in a year (the page's footnote and docs/reports.md say the same):
- training: current qualification records whose completion date falls in the year and that
  name a programme of the academy's catalogue (records of the academy's sessions, and
  imported or hand-entered records matched to a catalogue programme). A record of a session
  is dated the session's last day, so a session counts in the year it ended. Records of
  other providers' courses (no programme) are counted apart and left out of the tables;
- people trained: distinct civil servants with such a record; per state body and category by
  the person's state body and position today (the registry keeps no history of moves);
- outcomes: enrolments in sessions that ended in the year with a recorded result — completed,
  not passed, or did not attend (`EnrolmentStatus.NO_SHOW`: no hours attended); the rates are
  shares of those results. Requests withdrawn, rejected or cancelled before the session are
  not outcomes; enrolled people of an ended session without a result are "awaiting results";
- certificates: issued in the year (re-issues included) and revoked in the year, by the
  local date of issue or revocation, whatever year the training was.

Every figure is an aggregate query: the number of queries does not grow with the data.
"""

import dataclasses
import datetime

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Programme, ProgrammeKind
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from people.models import Agency
from plans.selectors import plan_against_actual


@dataclasses.dataclass
class Outcomes:
    completed: int = 0
    failed: int = 0
    no_show: int = 0
    awaiting: int = 0

    @property
    def results(self) -> int:
        """Enrolments with a recorded result: the base of the rates."""
        return self.completed + self.failed + self.no_show

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.results, 1) if self.results else None

    @property
    def no_show_rate(self) -> float | None:
        return round(100 * self.no_show / self.results, 1) if self.results else None


@dataclasses.dataclass
class Line:
    """One row of a table: who or what, and its figures."""

    key: object
    label: str
    people: int = 0
    completions: int = 0
    hours: int = 0
    outcomes: Outcomes = dataclasses.field(default_factory=Outcomes)
    issued: int = 0
    revoked: int = 0


@dataclasses.dataclass
class AnnualReport:
    year: int
    total: Line
    agencies: list[Line]
    programmes: list[Line]
    kinds: list[Line]
    categories: list[Line]
    other_providers: int  # records of the year without a catalogue programme (not counted)


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _records(year: int):
    start, end = year_range(year)
    return QualificationRecord.objects.filter(
        is_current=True, programme__isnull=False, completed_on__range=(start, end)
    )


def _outcome_enrolments(year: int):
    start, end = year_range(year)
    # Sessions that have ended: an enrolment of a session still to come awaits nothing yet.
    end = min(end, timezone.localdate())
    return Enrolment.objects.filter(
        session__ends_on__range=(start, end),
        status__in=[
            EnrolmentStatus.COMPLETED,
            EnrolmentStatus.FAILED,
            EnrolmentStatus.NO_SHOW,
            EnrolmentStatus.ENROLLED,
        ],
    )


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year in local time, as aware datetimes: [1 January 00:00, next 1 January)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _certificates_issued(year: int):
    start, end = _year_bounds(year)
    return Certificate.objects.filter(issued_at__gte=start, issued_at__lt=end)


def _certificates_revoked(year: int):
    start, end = _year_bounds(year)
    return Certificate.objects.filter(revoked_at__gte=start, revoked_at__lt=end)


_STATUS_FIELD = {
    EnrolmentStatus.COMPLETED: "completed",
    EnrolmentStatus.FAILED: "failed",
    EnrolmentStatus.NO_SHOW: "no_show",
    EnrolmentStatus.ENROLLED: "awaiting",
}


def _training(records, by: str | None) -> dict:
    """people, completions, hours per value of `by` (or one total under None)."""
    figures = {
        "people": Count("servant", distinct=True),
        "completions": Count("pk"),
        "hours": Sum("hours"),
    }
    if by is None:
        return {None: records.aggregate(**figures)}
    return {row[by]: row for row in records.values(by).annotate(**figures).order_by()}


def _outcomes(enrolments, by: str | None) -> dict:
    fields = [by] if by else []
    counted: dict = {}
    for row in enrolments.values(*fields, "status").annotate(n=Count("pk")).order_by():
        outcome = counted.setdefault(row[by] if by else None, Outcomes())
        setattr(outcome, _STATUS_FIELD[row["status"]], row["n"])
    return counted


def _count_by(queryset, by: str | None) -> dict:
    if by is None:
        return {None: queryset.count()}
    return {row[by]: row["n"] for row in queryset.values(by).annotate(n=Count("pk")).order_by()}


def _lines(keys, labels: dict, training: dict, outcomes: dict, issued: dict, revoked: dict):
    lines = []
    for key in keys:
        t = training.get(key) or {}
        lines.append(
            Line(
                key=key,
                label=labels.get(key, ""),
                people=t.get("people") or 0,
                completions=t.get("completions") or 0,
                hours=t.get("hours") or 0,
                outcomes=outcomes.get(key) or Outcomes(),
                issued=issued.get(key, 0),
                revoked=revoked.get(key, 0),
            )
        )
    # Most people trained first; ties by name, so the order is stable.
    return sorted(lines, key=lambda line: (-line.people, -line.outcomes.results, line.label))


def annual_report(year: int, *, no_category_label: str = "—") -> AnnualReport:
    """The whole report for `year`, in the active language: a fixed number of aggregate
    queries (17) whatever the data."""
    from django.utils.translation import gettext as _

    records = _records(year)
    enrolments = _outcome_enrolments(year)
    issued, revoked = _certificates_issued(year), _certificates_revoked(year)

    # The total.
    total_training = _training(records, None)[None]
    total = Line(
        key=None,
        label=_("Total"),
        people=total_training["people"] or 0,
        completions=total_training["completions"] or 0,
        hours=total_training["hours"] or 0,
        outcomes=_outcomes(enrolments, None).get(None, Outcomes()),
        issued=issued.count(),
        revoked=revoked.count(),
    )

    # Per state body (of the person).
    by = "servant__agency"
    a_training = _training(records, by)
    a_outcomes = _outcomes(enrolments, by)
    a_issued, a_revoked = _count_by(issued, by), _count_by(revoked, by)
    agency_ids = {*a_training, *a_outcomes, *a_issued, *a_revoked}
    agency_names = {a.pk: a.name for a in Agency.objects.filter(pk__in=agency_ids)}
    agencies = _lines(agency_ids, agency_names, a_training, a_outcomes, a_issued, a_revoked)

    # Per programme: records name it; enrolments through their session.
    p_training = _training(records, "programme")
    p_outcomes = _outcomes(enrolments, "session__programme")
    programme_ids = {*p_training, *p_outcomes}
    programme_labels = {
        p.pk: f"{p.code} — {p.title}"
        for p in Programme.objects.filter(pk__in=programme_ids).only(
            "code", "title_kk", "title_ru", "title_en"
        )
    }
    programmes = _lines(programme_ids, programme_labels, p_training, p_outcomes, {}, {})

    # Per kind.
    k_training = _training(records, "kind")
    k_outcomes = _outcomes(enrolments, "session__programme__kind")
    kind_labels = dict(ProgrammeKind.choices)
    kinds = _lines(
        [k for k in ProgrammeKind.values if k in k_training or k in k_outcomes],
        {k: str(v) for k, v in kind_labels.items()},
        k_training,
        k_outcomes,
        {},
        {},
    )

    # Per position category (of the person today).
    by = "servant__position__category"
    c_training = _training(records, by)
    c_outcomes = _outcomes(enrolments, by)
    category_keys = {*c_training, *c_outcomes}
    categories = _lines(
        category_keys,
        {key: key or no_category_label for key in category_keys},
        c_training,
        c_outcomes,
        {},
        {},
    )

    start, end = year_range(year)
    other = QualificationRecord.objects.filter(
        is_current=True, programme__isnull=True, completed_on__range=(start, end)
    ).count()
    return AnnualReport(
        year=year,
        total=total,
        agencies=agencies,
        programmes=programmes,
        kinds=kinds,
        categories=categories,
        other_providers=other,
    )


def report_years() -> list[int]:
    """Years that have training records or sessions (first to last), with this year."""
    today = timezone.localdate()
    bounds = QualificationRecord.objects.filter(is_current=True, programme__isnull=False).aggregate(
        first=Min("completed_on"), last=Max("completed_on")
    )
    sessions = Enrolment.objects.aggregate(
        first=Min("session__ends_on"), last=Max("session__ends_on")
    )
    firsts = [d.year for d in (bounds["first"], sessions["first"]) if d]
    lasts = [d.year for d in (bounds["last"], sessions["last"]) if d]
    first = min([*firsts, today.year])
    last = max([*lasts, today.year])
    return list(range(first, min(last, today.year) + 1))


def default_year() -> int:
    """This year when it has training records already, else the latest year that has some,
    else this year."""
    today = timezone.localdate()
    last = QualificationRecord.objects.filter(
        is_current=True, programme__isnull=False, completed_on__lte=today
    ).aggregate(last=Max("completed_on"))["last"]
    return last.year if last else today.year


def plan_against_actual_rows(year: int) -> list[list]:
    """Plan against actual per state body and planned training for `year`, the year's
    quarters summed (plans.selectors.plan_against_actual: the state bodies' yearly plans,
    draft or submitted): [state body, training, planned, got a place, completed, completed −
    planned]. Empty when no state body planned that year; the report then says so."""
    totals: dict[tuple, list] = {}
    for row in plan_against_actual(year):
        key = (row.agency.pk, row.programme.pk if row.programme else None, row.kind, row.hours)
        if key not in totals:
            totals[key] = [row.agency.name, row.what, 0, 0, 0]
        line = totals[key]
        line[2] += row.planned
        line[3] += row.enrolled
        line[4] += row.completed
    rows = sorted(totals.values(), key=lambda line: (line[0], line[1]))
    return [[*line, line[4] - line[2]] for line in rows]
