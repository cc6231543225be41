"""The training requirement: one definition, one read.

What counts: current qualification records of the kinds in `COUNTED_KINDS` (qualification
upgrade and retraining; seminars do not count) completed in the window `(as_of − window
years, as_of]`. Required: the version in force on `as_of` (`TrainingRequirement`), its
minimum hours raised by the most specific category row matching the person's category. A
first appointment inside the window asks for a retraining within `retraining_due_months`.
Without any version in force, the model's defaults apply (3 years, 36 hours, 6 months).

- `training_requirement_status(servant, as_of)`: one person (three queries).
- `TrainingRequirements.load()` then `.terms(category, as_of)`: the parameters, read once,
  for callers that evaluate many people or many days (the eligibility batch, the path to
  promotion); `training_status(terms, first_appointed_on=…, records=…)` is the pure function
  both paths apply per person.

Waiting-list priority, My learning, transcripts and the eligibility engine read it here.
"""

import datetime
from typing import NamedTuple

from core.dates import add_months, add_years
from courses.models import ProgrammeKind
from people.categories import category_matches

from .models import QualificationRecord, TrainingRequirement

COUNTED_KINDS = (ProgrammeKind.QUALIFICATION_UPGRADE, ProgrammeKind.RETRAINING)


class TrainingTerms(NamedTuple):
    """What the requirement asks of one category on one day (not whether it is met)."""

    as_of: datetime.date
    required_hours: int
    window_years: int
    window_start: datetime.date  # exclusive: a record completed on this day no longer counts
    retraining_due_months: int
    retraining_required: bool
    counted_kinds: tuple = COUNTED_KINDS
    effective_from: datetime.date | None = None  # of the version; None: the defaults


class TrainingStatus(NamedTuple):
    """Where one person stands against `terms`. Immutable (a named tuple: the eligibility
    batch makes one per person, and a frozen dataclass is about three times as slow)."""

    terms: TrainingTerms
    first_appointed_on: datetime.date | None
    counted_hours: int
    records: tuple  # the records counted, oldest first
    retraining_due_on: datetime.date | None  # None: no retraining asked (no appointment, or off)
    retraining_record: object | None  # the retraining done since the first appointment

    @property
    def as_of(self) -> datetime.date:
        return self.terms.as_of

    @property
    def required_hours(self) -> int:
        return self.terms.required_hours

    @property
    def window_start(self) -> datetime.date:
        return self.terms.window_start

    @property
    def window_end(self) -> datetime.date:
        return self.terms.as_of

    @property
    def counted_kinds(self) -> tuple:
        return self.terms.counted_kinds

    @property
    def hours_met(self) -> bool:
        return self.counted_hours >= self.terms.required_hours

    @property
    def missing_hours(self) -> int:
        return max(self.terms.required_hours - self.counted_hours, 0)

    @property
    def retraining_checked(self) -> bool:
        """Only first appointments inside the window are checked: older ones predate the
        register, whose records cannot show a retraining done then."""
        return self.retraining_due_on is not None and (
            self.first_appointed_on > self.terms.window_start
        )

    @property
    def retraining_due(self) -> bool:
        """A retraining is still to do and not late yet (it ranks first on waiting lists)."""
        return (
            self.retraining_due_on is not None
            and self.retraining_record is None
            and self.terms.as_of <= self.retraining_due_on
        )

    @property
    def retraining_met(self) -> bool:
        return (
            not self.retraining_checked
            or self.retraining_record is not None
            or self.terms.as_of <= self.retraining_due_on
        )

    @property
    def met(self) -> bool:
        return self.hours_met and self.retraining_met

    @property
    def lapses_on(self) -> datetime.date | None:
        """When the hours stop being met if nothing new is completed: the day the oldest
        counted record leaves the window (None when not met now)."""
        if not self.hours_met or not self.records:
            return None
        return add_years(self.records[0].completed_on, self.terms.window_years)


def _completed_on(record) -> datetime.date:
    return record.completed_on


def training_status(
    terms: TrainingTerms, *, first_appointed_on: datetime.date | None, records
) -> TrainingStatus:
    """The pure rule. `records`: current qualification records (or anything with `kind`,
    `hours`, `completed_on`), in the order their evidence should be listed."""
    start, as_of, kinds = terms.window_start, terms.as_of, terms.counted_kinds
    counted = sorted(
        (r for r in records if r.kind in kinds and start < r.completed_on <= as_of),
        key=_completed_on,
    )
    due = done = None
    if terms.retraining_required and first_appointed_on:
        due = add_months(first_appointed_on, terms.retraining_due_months)
        retraining = ProgrammeKind.RETRAINING
        for r in records:
            if r.kind == retraining and first_appointed_on <= r.completed_on <= as_of:
                done = r
                break
    return TrainingStatus(
        terms, first_appointed_on, sum(r.hours for r in counted), tuple(counted), due, done
    )


class TrainingRequirements:
    """Every version of the requirement with its category rows, read once (two queries)."""

    def __init__(self, versions: list[TrainingRequirement]):
        self.versions = sorted(versions, key=lambda v: v.effective_from, reverse=True)
        self._default = TrainingRequirement()
        self._terms: dict[tuple[str, datetime.date], TrainingTerms] = {}

    @classmethod
    def load(cls, *, using: str | None = None) -> "TrainingRequirements":
        versions = TrainingRequirement.objects.using(using).prefetch_related("categories")
        return cls(list(versions))

    def version_on(self, day: datetime.date) -> TrainingRequirement:
        return next((v for v in self.versions if v.effective_from <= day), self._default)

    def terms(self, category: str | None, as_of: datetime.date) -> TrainingTerms:
        key = (category or "", as_of)
        terms = self._terms.get(key)
        if terms is None:
            terms = self._terms[key] = self._resolve(category or "", as_of)
        return terms

    def _resolve(self, category: str, as_of: datetime.date) -> TrainingTerms:
        version = self.version_on(as_of)
        rows = list(version.categories.all()) if version.pk else []
        matching = [r for r in rows if category_matches(category, r.category_pattern)]
        specific = max(matching, key=lambda r: len(r.category_pattern.rstrip("*")), default=None)
        required = max(version.min_hours, specific.min_hours if specific else 0)
        return TrainingTerms(
            as_of=as_of,
            required_hours=required,
            window_years=version.window_years,
            window_start=add_years(as_of, -version.window_years),
            retraining_due_months=version.retraining_due_months,
            retraining_required=version.retraining_required,
            effective_from=version.effective_from if version.pk else None,
        )


def current_records_by(servant, as_of: datetime.date):
    """The servant's current records completed by `as_of`, newest first (the evidence order)."""
    return (
        QualificationRecord.objects.filter(
            servant=servant, is_current=True, completed_on__lte=as_of
        )
        .select_related("programme")
        .order_by("-completed_on", "pk")
    )


def training_requirement_status(
    servant, as_of: datetime.date, *, records=None, requirements: TrainingRequirements | None = None
) -> TrainingStatus:
    """Where `servant` stands on `as_of`. `records` (current ones, newest first) and
    `requirements` may be given when the caller has them already."""
    requirements = requirements or TrainingRequirements.load()
    if records is None:
        records = list(current_records_by(servant, as_of))
    else:
        records = [r for r in records if getattr(r, "is_current", True)]
    return training_status(
        requirements.terms(servant.category, as_of),
        first_appointed_on=servant.first_appointed_on,
        records=records,
    )
