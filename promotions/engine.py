"""The eligibility rule, as a pure function over data already loaded.

The training criteria (`training_hours`, `retraining`) are the training requirement's own
pure function (`enrolments.requirements.training_status`) applied to the same records, with
the terms of the target category read once by the caller: one definition for eligibility,
transcripts, My learning and waiting-list priority.

Both the one-person service and the batch call `evaluate()` with the same inputs, so a batch
result is the per-person result by construction (and the tests check it on the same data).

A criterion keeps what was found as data (a code and its figures); `promotions.explanations`
puts it in words when it is read, in the reader's language.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from core.dates import (
    Quarter,
    add_years,
    last_complete_quarters,
    next_quarter,
    quarter_end,
    quarter_label,
)
from enrolments.requirements import TrainingStatus, TrainingTerms, training_status
from people.models import Rating

from . import explanations


# Facts are immutable named tuples: a batch makes one per servant and per record, and a
# frozen dataclass takes about three times as long to construct.
class RecordFact(NamedTuple):
    kind: str
    hours: int
    completed_on: datetime.date
    valid_until: datetime.date
    programme_code: str
    title: str
    uid: str = ""


class ServantFact(NamedTuple):
    id: int
    category: str
    first_appointed_on: datetime.date | None


@dataclass
class Criterion:
    """One criterion: its code, met or not, and why, as data: `basis` (the explanation's code
    and figures) and `gap_basis` (what would close the gap). The words are read through
    `explanation` and `gap`, in the language active when they are read."""

    code: str
    met: bool
    basis: dict
    evidence: list = field(default_factory=list)
    gap_basis: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return explanations.explain(self.basis)

    @property
    def gap(self) -> str:
        return explanations.explain(self.gap_basis)

    def as_dict(self, *, explained: bool = False) -> dict:
        stored = {
            "code": self.code,
            "met": self.met,
            "basis": self.basis,
            "evidence": self.evidence,
            "gap_basis": self.gap_basis,
        }
        if explained:
            stored["explanation"] = self.explanation
            stored["gap"] = self.gap
        return stored


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

    def as_dict(self, *, explained: bool = False) -> dict:
        """The result as data (what a check stores: codes and figures); `explained` adds the
        words in the active language (a report read now)."""
        return {
            "servant_id": self.servant_id,
            "target_category": self.target_category,
            "as_of": self.as_of.isoformat(),
            "rule_version": self.rule_version,
            "eligible": self.eligible,
            "criteria": [c.as_dict(explained=explained) for c in self.criteria],
        }


class Evaluator:
    """`evaluate` for one rule set on one day.

    What does not depend on the person is worked out once: the quarters and their labels.
    The ratings criterion depends only on the ratings of those few quarters, so it is worked
    out once per combination. A batch uses one Evaluator for everyone; `evaluate()` makes one
    per call: the same code either way, so a batch result is the per-person result.
    """

    def __init__(self, *, rule, as_of: datetime.date):
        self.rule = rule
        self.as_of = as_of
        self.version = rule.version
        self.needed = rule.consecutive_effective_quarters
        self.quarters = last_complete_quarters(as_of, self.needed)
        self.labels = [quarter_label(q) for q in self.quarters]
        self._isos: dict[datetime.date, str] = {}
        self._ratings: dict[tuple, tuple[bool, dict, dict]] = {}
        self._years_later: dict[tuple[datetime.date, int], datetime.date] = {}

    def _iso(self, day: datetime.date) -> str:
        text = self._isos.get(day)
        if text is None:
            text = self._isos[day] = day.isoformat()
        return text

    def _add_years(self, day: datetime.date, years: int) -> datetime.date:
        key = (day, years)
        later = self._years_later.get(key)
        if later is None:
            later = self._years_later[key] = add_years(day, years)
        return later

    # -- the criteria ------------------------------------------------------------------------

    def ratings_criterion(self, ratings: dict[Quarter, str]) -> Criterion:
        given = tuple(ratings.get(q) for q in self.quarters)
        verdict = self._ratings.get(given)
        if verdict is None:
            verdict = self._ratings[given] = self._ratings_verdict(given)
        met, basis, gap = verdict
        evidence = [
            {"quarter": text, "rating": rating if rating is not None else ""}
            for text, rating in zip(self.labels, given, strict=True)
        ]
        return Criterion("ratings", met, basis, evidence, gap)

    def _ratings_verdict(self, given: tuple) -> tuple[bool, dict, dict]:
        needed, quarters = self.needed, self.quarters
        weak = [q for q, rating in zip(quarters, given, strict=True) if rating != Rating.EFFECTIVE]
        if not weak:
            return (
                True,
                {
                    "code": "ratings_effective",
                    "n": needed,
                    "first": list(quarters[0]),
                    "last": list(quarters[-1]),
                },
                {},
            )
        last_weak = weak[-1]
        rating = given[quarters.index(last_weak)]
        # The run of effective quarters restarts after the last weak one.
        first_of_run = next_quarter(last_weak)
        run_end = first_of_run
        for _i in range(needed - 1):
            run_end = next_quarter(run_end)
        eligible_after = quarter_end(run_end)
        return (
            False,
            {
                "code": "ratings_broken",
                "n": needed,
                "quarter": list(last_weak),
                "rating": rating or "",
            },
            {
                "code": "ratings_next_date",
                "quarter": list(run_end),
                "date": eligible_after.isoformat(),
                "n": needed,
            },
        )

    def hours_criterion(self, status: TrainingStatus) -> Criterion:
        terms, _first, hours, counted, _due, _done = status
        required = terms.required_hours
        start = self._iso(terms.window_start)
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
                {"code": "hours_met", "hours": hours, "start": start, "required": required},
                evidence,
            )
        # The gap must be closed before the oldest counted record leaves the window. With
        # nothing counted there is no such day: any hours completed from now on count.
        gap = {"code": "hours_missing", "missing": required - hours}
        if counted:
            window_years = status.terms.window_years
            gap["date"] = self._add_years(counted[0].completed_on, window_years).isoformat()
        return Criterion(
            "training_hours",
            False,
            {"code": "hours_short", "hours": hours, "start": start, "required": required},
            evidence,
            gap,
        )

    def retraining_criterion(self, status: TrainingStatus) -> Criterion:
        _terms, appointed, _hours, _counted, due, done = status
        if due is None:
            return Criterion("retraining", True, {"code": "retraining_not_due"})
        if done is not None:
            return Criterion(
                "retraining",
                True,
                {"code": "retraining_done", "date": done.completed_on.isoformat()},
                [{"record": done.uid, "title": done.title}],
            )
        if self.as_of <= due:
            return Criterion(
                "retraining", True, {"code": "retraining_due_by", "due": due.isoformat()}
            )
        return Criterion(
            "retraining",
            False,
            {
                "code": "retraining_overdue",
                "due": due.isoformat(),
                "appointed": appointed.isoformat(),
            },
            [],
            {"code": "retraining_complete"},
        )

    def programmes_criterion(self, records, requirement) -> Criterion | None:
        codes = requirement.programme_codes if requirement else []
        if not codes:
            return None
        as_of = self.as_of
        valid = {r.programme_code for r in records if r.programme_code and r.valid_until >= as_of}
        missing = [c for c in codes if c not in valid]
        if not missing:
            return Criterion(
                "required_programmes", True, {"code": "programmes_done", "codes": codes}, codes
            )
        return Criterion(
            "required_programmes",
            False,
            {"code": "programmes_missing", "codes": missing},
            [c for c in codes if c not in missing],
            {"code": "programmes_complete", "codes": missing},
        )

    def service_criterion(self, servant: ServantFact, requirement) -> Criterion | None:
        years = requirement.min_years_of_service if requirement else 0
        if not years:
            return None
        start = servant.first_appointed_on
        reached = self._add_years(start, years) if start else None
        if reached and reached <= self.as_of:
            return Criterion(
                "service_years", True, {"code": "service_since", "date": start.isoformat()}
            )
        return Criterion(
            "service_years",
            False,
            {"code": "service_short", "years": years},
            [],
            {"code": "service_reached", "date": reached.isoformat() if reached else ""},
        )

    def evaluate(
        self,
        *,
        servant: ServantFact,
        target_category: str,
        ratings: dict[Quarter, str],
        records: list[RecordFact],
        requirement,
        training: TrainingTerms,
    ) -> EligibilityResult:
        status = training_status(
            training, first_appointed_on=servant.first_appointed_on, records=records
        )
        criteria = [
            self.ratings_criterion(ratings),
            self.hours_criterion(status),
            self.retraining_criterion(status),
        ]
        if requirement is not None:
            if requirement.required_programmes and requirement.programme_codes:
                criteria.append(self.programmes_criterion(records, requirement))
            if requirement.min_years_of_service:
                criteria.append(self.service_criterion(servant, requirement))
        return EligibilityResult(servant.id, target_category, self.as_of, self.version, criteria)


def criteria_codes(requirement) -> list[str]:
    """The codes of the criteria `evaluate` returns under `requirement`, in order."""
    codes = ["ratings", "training_hours", "retraining"]
    if requirement is not None and requirement.programme_codes:
        codes.append("required_programmes")
    if requirement is not None and requirement.min_years_of_service:
        codes.append("service_years")
    return codes


def hours_criterion(
    records: list[RecordFact], rule, training: TrainingTerms, first_appointed_on=None
) -> Criterion:
    """The training-hours criterion alone, as `evaluate` computes it."""
    status = training_status(training, first_appointed_on=first_appointed_on, records=records)
    return Evaluator(rule=rule, as_of=training.as_of).hours_criterion(status)


def evaluate(
    *,
    servant: ServantFact,
    target_category: str,
    ratings: dict[Quarter, str],
    records: list[RecordFact],
    rule,
    requirement,
    training: TrainingTerms,
    as_of: datetime.date,
) -> EligibilityResult:
    return Evaluator(rule=rule, as_of=as_of).evaluate(
        servant=servant,
        target_category=target_category,
        ratings=ratings,
        records=records,
        requirement=requirement,
        training=training,
    )
