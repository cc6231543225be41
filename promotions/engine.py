"""The eligibility rule, as a pure function over data already loaded.

Both the one-person service and the batch call `evaluate()` with the same inputs, so a batch
result is the per-person result by construction (and the tests check it on the same data).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from courses.models import ProgrammeKind
from enrolments.services import add_months, add_years
from people.models import Rating

Quarter = tuple[int, int]


def quarter_of(day: datetime.date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year - 1, 4) if q == 1 else (year, q - 1)


def next_quarter(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year + 1, 1) if q == 4 else (year, q + 1)


def quarter_end(quarter: Quarter) -> datetime.date:
    year, q = quarter
    return add_months(datetime.date(year, 3 * q, 1), 1) - datetime.timedelta(days=1)


def last_complete_quarters(as_of: datetime.date, count: int) -> list[Quarter]:
    """The `count` quarters before the one containing `as_of`, oldest first."""
    quarters, current = [], previous_quarter(quarter_of(as_of))
    for _index in range(count):
        quarters.append(current)
        current = previous_quarter(current)
    return list(reversed(quarters))


def label(quarter: Quarter) -> str:
    return f"{quarter[0]} Q{quarter[1]}"


@dataclass(frozen=True)
class RecordFact:
    kind: str
    hours: int
    completed_on: datetime.date
    valid_until: datetime.date
    programme_code: str
    title: str
    uid: str = ""


@dataclass(frozen=True)
class ServantFact:
    id: int
    category: str
    first_appointed_on: datetime.date | None


@dataclass
class Criterion:
    code: str
    met: bool
    explanation: str
    evidence: list = field(default_factory=list)
    gap: str = ""


@dataclass
class EligibilityResult:
    servant_id: int
    target_category: str
    as_of: datetime.date
    rule_version: str
    criteria: list[Criterion]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)

    def as_dict(self) -> dict:
        return {
            "servant_id": self.servant_id,
            "target_category": self.target_category,
            "as_of": self.as_of.isoformat(),
            "rule_version": self.rule_version,
            "eligible": self.eligible,
            "criteria": [
                {
                    "code": c.code,
                    "met": c.met,
                    "explanation": c.explanation,
                    "evidence": c.evidence,
                    "gap": c.gap,
                }
                for c in self.criteria
            ],
        }


def _ratings_criterion(ratings: dict[Quarter, str], rule, as_of) -> Criterion:
    needed = rule.consecutive_effective_quarters
    quarters = last_complete_quarters(as_of, needed)
    evidence = [{"quarter": label(q), "rating": ratings.get(q, "")} for q in quarters]
    weak = [q for q in quarters if ratings.get(q) != Rating.EFFECTIVE]
    if not weak:
        return Criterion(
            "ratings",
            True,
            _("Rated effective in each of the last %(n)s quarters (%(first)s – %(last)s).")
            % {"n": needed, "first": label(quarters[0]), "last": label(quarters[-1])},
            evidence,
        )
    last_weak = weak[-1]
    rating = ratings.get(last_weak)
    # The run of effective quarters restarts after the last weak one.
    first_of_run = next_quarter(last_weak)
    run_end = first_of_run
    for _i in range(needed - 1):
        run_end = next_quarter(run_end)
    eligible_after = quarter_end(run_end)
    if rating:
        reason = _("%(quarter)s was rated %(rating)s") % {
            "quarter": label(last_weak),
            "rating": Rating(rating).label,
        }
    else:
        reason = _("%(quarter)s has no rating") % {"quarter": label(last_weak)}
    return Criterion(
        "ratings",
        False,
        _("Needs %(n)s consecutive quarters rated effective; %(reason)s.")
        % {"n": needed, "reason": reason},
        evidence,
        _(
            "The next eligible date is after %(quarter)s (%(date)s) if the next %(n)s quarters "
            "are rated effective."
        )
        % {"quarter": label(run_end), "date": eligible_after.isoformat(), "n": needed},
    )


def _hours_criterion(records: list[RecordFact], rule, requirement, as_of) -> Criterion:
    required = max(rule.min_upgrade_hours, requirement.min_hours if requirement else 0)
    start = add_years(as_of, -rule.training_window_years)
    counted_kinds = (ProgrammeKind.QUALIFICATION_UPGRADE, ProgrammeKind.RETRAINING)
    counted = sorted(
        (r for r in records if r.kind in counted_kinds and start < r.completed_on <= as_of),
        key=lambda r: r.completed_on,
    )
    hours = sum(r.hours for r in counted)
    evidence = [
        {
            "record": r.uid,
            "title": r.title,
            "hours": r.hours,
            "completed_on": r.completed_on.isoformat(),
        }
        for r in counted
    ]
    if hours >= required:
        return Criterion(
            "training_hours",
            True,
            _(
                "%(hours)s academic hours of qualification upgrade since %(start)s (needed: "
                "%(required)s)."
            )
            % {"hours": hours, "start": start.isoformat(), "required": required},
            evidence,
        )
    # The gap must be closed before the oldest counted record leaves the window.
    deadline = add_years(counted[0].completed_on, rule.training_window_years) if counted else as_of
    return Criterion(
        "training_hours",
        False,
        _(
            "%(hours)s academic hours of qualification upgrade since %(start)s; %(required)s "
            "are needed."
        )
        % {"hours": hours, "start": start.isoformat(), "required": required},
        evidence,
        _("%(missing)s more academic hours of qualification upgrade before %(date)s.")
        % {"missing": required - hours, "date": deadline.isoformat()},
    )


def _retraining_criterion(servant: ServantFact, records, rule, as_of) -> Criterion:
    # Only first appointments inside the training window are checked: older ones predate the
    # register, whose records cannot show a retraining done then.
    if (
        not rule.retraining_required
        or not servant.first_appointed_on
        or servant.first_appointed_on <= add_years(as_of, -rule.training_window_years)
    ):
        return Criterion("retraining", True, _("No retraining is due."))
    due = add_months(servant.first_appointed_on, rule.retraining_due_months)
    done = [
        r
        for r in records
        if r.kind == ProgrammeKind.RETRAINING and r.completed_on >= servant.first_appointed_on
    ]
    if done:
        return Criterion(
            "retraining",
            True,
            _("Retraining completed on %(date)s.") % {"date": done[0].completed_on.isoformat()},
            [{"record": done[0].uid, "title": done[0].title}],
        )
    if as_of <= due:
        return Criterion(
            "retraining",
            True,
            _("Retraining is due by %(due)s (not overdue yet).") % {"due": due.isoformat()},
        )
    return Criterion(
        "retraining",
        False,
        _("Retraining was due by %(due)s (first appointed on %(appointed)s) and is not recorded.")
        % {"due": due.isoformat(), "appointed": servant.first_appointed_on.isoformat()},
        [],
        _("Complete a retraining programme (at least 120 academic hours)."),
    )


def _programmes_criterion(records, requirement, as_of) -> Criterion | None:
    codes = requirement.programme_codes if requirement else []
    if not codes:
        return None
    valid = {r.programme_code for r in records if r.programme_code and r.valid_until >= as_of}
    missing = [c for c in codes if c not in valid]
    if not missing:
        return Criterion(
            "required_programmes",
            True,
            _("Required programmes completed: %(codes)s.") % {"codes": ", ".join(codes)},
            codes,
        )
    return Criterion(
        "required_programmes",
        False,
        _("Required programmes without a valid completion: %(codes)s.")
        % {"codes": ", ".join(missing)},
        [c for c in codes if c not in missing],
        _("Complete %(codes)s.") % {"codes": ", ".join(missing)},
    )


def _service_criterion(servant: ServantFact, requirement, as_of) -> Criterion | None:
    years = requirement.min_years_of_service if requirement else 0
    if not years:
        return None
    start = servant.first_appointed_on
    if start and add_years(start, years) <= as_of:
        return Criterion(
            "service_years",
            True,
            _("In civil service since %(date)s.") % {"date": start.isoformat()},
        )
    when = add_years(start, years).isoformat() if start else "—"
    return Criterion(
        "service_years",
        False,
        _("%(years)s years in civil service are required.") % {"years": years},
        [],
        _("Reached on %(date)s.") % {"date": when},
    )


def evaluate(
    *,
    servant: ServantFact,
    target_category: str,
    ratings: dict[Quarter, str],
    records: list[RecordFact],
    rule,
    requirement,
    as_of: datetime.date,
) -> EligibilityResult:
    criteria = [
        _ratings_criterion(ratings, rule, as_of),
        _hours_criterion(records, rule, requirement, as_of),
        _retraining_criterion(servant, records, rule, as_of),
    ]
    for extra in (
        _programmes_criterion(records, requirement, as_of),
        _service_criterion(servant, requirement, as_of),
    ):
        if extra is not None:
            criteria.append(extra)
    return EligibilityResult(servant.id, target_category, as_of, rule.version, criteria)
