"""The training requirement: one definition, one read.

What counts: current qualification records of the kinds in `COUNTED_KINDS` (qualification
upgrade and retraining; seminars do not count) completed in the window `(as_of − window
years, as_of]`. Required: the version in force on `as_of` (`TrainingRequirement`), its
minimum hours raised by the most specific category row matching the person's category. A
first appointment inside the window asks for a retraining within `retraining_due_months`.
Without any version in force, the model's defaults apply (3 years, 36 hours, 6 months).

- `training_requirement_status(servant, as_of)`: one person (two queries).
- `TrainingRequirements.load()` (one query) then `.terms(category, as_of)`: the parameters,
  read once, for callers that evaluate many people or many days (the eligibility batch, the path to
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
    records: list  # the records counted, oldest first (not to be changed)
    # None: no retraining asked (retraining not required, or no first appointment inside the
    # window: older ones predate the register, whose records cannot show a retraining then).
    retraining_due_on: datetime.date | None
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
        return self.retraining_due_on is not None

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
    def hours_sentence(self) -> str:
        """Where the hours stand, as a sentence in the active language (templates read it)."""
        return hours_sentence(self)

    @property
    def lapses_on(self) -> datetime.date | None:
        """When the hours stop being met if nothing new is completed: the day the oldest
        counted record leaves the window (None when not met now)."""
        if not self.hours_met or not self.records:
            return None
        return add_years(self.records[0].completed_on, self.terms.window_years)


def hours_sentence(status: TrainingStatus) -> str:
    """The hours part of the requirement as one sentence in the active language, whether it is
    met exactly, exceeded or short ("The requirement of 36 academic hours is met and
    exceeded: 120 h …", never "120 of 36 academic hours"). The noun is declined for the
    required hours; the other figures are written with the unit's abbreviation, which does
    not change with the number."""
    from django.utils.formats import date_format
    from django.utils.translation import ngettext

    required, hours = status.required_hours, status.counted_hours
    values = {
        "required": required,
        "hours": hours,
        "missing": status.missing_hours,
        "start": date_format(status.window_start, "d.m.Y"),
    }
    if hours > required:
        text = ngettext(
            "The requirement of %(required)s academic hour is met and exceeded: %(hours)s h "
            "of qualification upgrade or retraining since %(start)s.",
            "The requirement of %(required)s academic hours is met and exceeded: %(hours)s h "
            "of qualification upgrade or retraining since %(start)s.",
            required,
        )
    elif hours == required:
        text = ngettext(
            "The requirement of %(required)s academic hour is met: %(hours)s h of "
            "qualification upgrade or retraining since %(start)s.",
            "The requirement of %(required)s academic hours is met: %(hours)s h of "
            "qualification upgrade or retraining since %(start)s.",
            required,
        )
    else:
        text = ngettext(
            "The requirement of %(required)s academic hour is not met: %(hours)s h of "
            "qualification upgrade or retraining since %(start)s, %(missing)s h more needed.",
            "The requirement of %(required)s academic hours is not met: %(hours)s h of "
            "qualification upgrade or retraining since %(start)s, %(missing)s h more needed.",
            required,
        )
    return text % values


def _completed_on(record) -> datetime.date:
    return record.completed_on


def training_status(
    terms: TrainingTerms, *, first_appointed_on: datetime.date | None, records
) -> TrainingStatus:
    """The pure rule. `records`: current qualification records (or anything with `kind`,
    `hours`, `completed_on`), in the order their evidence should be listed. Written for the
    eligibility batch, which applies it to every servant of the region."""
    start, as_of, kinds = terms.window_start, terms.as_of, terms.counted_kinds
    counted = [r for r in records if r.kind in kinds and start < r.completed_on <= as_of]
    hours = 0
    for r in counted:
        hours += r.hours
    if len(counted) > 1:
        counted.sort(key=_completed_on)
    due = done = None
    if terms.retraining_required and first_appointed_on and first_appointed_on > start:
        due = add_months(first_appointed_on, terms.retraining_due_months)
        retraining = ProgrammeKind.RETRAINING
        for r in records:
            if r.kind == retraining and first_appointed_on <= r.completed_on <= as_of:
                done = r
                break
    # tuple.__new__ directly: a named tuple's own __new__ is one more Python call per person.
    return _new_tuple(TrainingStatus, (terms, first_appointed_on, hours, counted, due, done))


_new_tuple = tuple.__new__


class TrainingRequirements:
    """Every version of the requirement with its category rows, read once (two queries)."""

    def __init__(self, versions: list[tuple[TrainingRequirement, list]]):
        """`versions`: (version, its category rows as (pattern, min_hours)) pairs."""
        self.versions = sorted(versions, key=lambda v: v[0].effective_from, reverse=True)
        self._default = (TrainingRequirement(), [])
        self._terms: dict[tuple[str, datetime.date], TrainingTerms] = {}

    @classmethod
    def load(
        cls, *, using: str | None = None, on: datetime.date | None = None
    ) -> "TrainingRequirements":
        """Every version, or (`on`) only the one in force that day: one query either way."""
        from django.db.models import Subquery

        versions = TrainingRequirement.objects.using(using)
        if on is not None:
            latest = (
                TrainingRequirement.objects.using(using)
                .filter(effective_from__lte=on)
                .order_by("-effective_from")
                .values("pk")[:1]
            )
            versions = versions.filter(pk=Subquery(latest))
        fields = [f.attname for f in TrainingRequirement._meta.concrete_fields]
        rows = versions.values_list(
            *fields, "categories__category_pattern", "categories__min_hours"
        )
        by_pk: dict[int, tuple[TrainingRequirement, list]] = {}
        for row in rows:
            pk = row[fields.index("id")]
            if pk not in by_pk:
                by_pk[pk] = (TrainingRequirement(**dict(zip(fields, row, strict=False))), [])
            if row[-2] is not None:
                by_pk[pk][1].append((row[-2], row[-1]))
        return cls(list(by_pk.values()))

    def version_on(self, day: datetime.date) -> TrainingRequirement:
        return self._version_on(day)[0]

    def _version_on(self, day: datetime.date) -> tuple[TrainingRequirement, list]:
        return next((v for v in self.versions if v[0].effective_from <= day), self._default)

    def terms(self, category: str | None, as_of: datetime.date) -> TrainingTerms:
        key = (category or "", as_of)
        terms = self._terms.get(key)
        if terms is None:
            terms = self._terms[key] = self._resolve(category or "", as_of)
        return terms

    def _resolve(self, category: str, as_of: datetime.date) -> TrainingTerms:
        version, rows = self._version_on(as_of)
        matching = [r for r in rows if category_matches(category, r[0])]
        specific = max(matching, key=lambda r: len(r[0].rstrip("*")), default=None)
        required = max(version.min_hours, specific[1] if specific else 0)
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
    requirements = requirements or TrainingRequirements.load(on=as_of)
    if records is None:
        records = list(current_records_by(servant, as_of))
    else:
        records = [r for r in records if getattr(r, "is_current", True)]
    return training_status(
        requirements.terms(servant.category, as_of),
        first_appointed_on=servant.first_appointed_on,
        records=records,
    )
