"""Promotion eligibility (the merit rule) and the meritocracy figures.

`eligibility_evaluate` (one person) and `eligibility_for_agency` (everyone) load their data
with a fixed number of set-based queries and hand it to the same pure `engine.evaluate`.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from enrolments.models import QualificationRecord
from enrolments.services import add_years
from people.categories import category_matches
from people.models import Agency, CivilServant, PerformanceRating

from . import engine
from .models import Competition, CompetitionOutcome, QualificationRequirement, RuleSet


class NoRuleSet(Exception):
    pass


def rule_set_on(day: datetime.date) -> RuleSet:
    rule = RuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule is None:
        raise NoRuleSet(_("No rule set is in force on %(date)s.") % {"date": day.isoformat()})
    return rule


def requirement_for(
    rule: RuleSet, category: str, requirements=None
) -> QualificationRequirement | None:
    """The most specific requirement whose pattern covers `category` (exact code first)."""
    candidates = requirements if requirements is not None else list(rule.requirements.all())
    matching = [r for r in candidates if category_matches(category, r.category_pattern)]
    return max(matching, key=lambda r: len(r.category_pattern.rstrip("*")), default=None)


def _facts(servant_rows, ratings_rows, record_rows):
    ratings: dict[int, dict] = defaultdict(dict)
    for servant_id, year, quarter, rating in ratings_rows:
        ratings[servant_id][(year, quarter)] = rating
    records: dict[int, list] = defaultdict(list)
    for servant_id, kind, hours, completed_on, valid_until, code, title, uid in record_rows:
        records[servant_id].append(
            engine.RecordFact(kind, hours, completed_on, valid_until, code or "", title, uid)
        )
    servants = [
        engine.ServantFact(pk, category or "", first_appointed_on)
        for pk, category, first_appointed_on in servant_rows
    ]
    return servants, ratings, records


_RECORD_FIELDS = (
    "servant_id",
    "kind",
    "hours",
    "completed_on",
    "valid_until",
    "programme__code",
    "title",
    "uid",
)


def _load(servants_qs, rule: RuleSet, as_of: datetime.date):
    quarters = engine.last_complete_quarters(as_of, rule.consecutive_effective_quarters)
    quarter_q = Q(pk__in=[])
    for year, quarter in quarters:
        quarter_q |= Q(year=year, quarter=quarter)
    servant_rows = list(servants_qs.values_list("pk", "position__category", "first_appointed_on"))
    ratings_rows = PerformanceRating.objects.filter(quarter_q, servant__in=servants_qs).values_list(
        "servant_id", "year", "quarter", "rating"
    )
    # Every current record could matter (retraining since appointment, required programmes).
    record_rows = QualificationRecord.objects.filter(
        servant__in=servants_qs, is_current=True, completed_on__lte=as_of
    ).values_list(*_RECORD_FIELDS)
    return _facts(servant_rows, ratings_rows, record_rows)


def eligibility_evaluate(
    *,
    servant: CivilServant,
    target_category: str | None = None,
    as_of: datetime.date,
    hypothetical: list[engine.RecordFact] = (),
) -> engine.EligibilityResult:
    """Is `servant` eligible for promotion without competition into `target_category`?

    `hypothetical` adds completions that have not happened (what-if: "if I take this course").
    """
    rule = rule_set_on(as_of)
    servants, ratings, records = _load(CivilServant.objects.filter(pk=servant.pk), rule, as_of)
    fact = servants[0]
    category = target_category or fact.category
    requirement = requirement_for(rule, category)
    return engine.evaluate(
        servant=fact,
        target_category=category,
        ratings=ratings[fact.id],
        records=[*records[fact.id], *hypothetical],
        rule=rule,
        requirement=requirement,
        as_of=as_of,
    )


def eligibility_for_agency(
    *, agency: Agency | None, target_category: str | None = None, as_of: datetime.date
) -> list[engine.EligibilityResult]:
    """Everyone of `agency` (or the whole region when None), with a constant number of queries."""
    rule = rule_set_on(as_of)
    requirements = list(rule.requirements.all())
    servants_qs = (
        CivilServant.objects.all() if agency is None else CivilServant.objects.filter(agency=agency)
    )
    servants, ratings, records = _load(servants_qs, rule, as_of)
    cache: dict[str, QualificationRequirement | None] = {}
    results = []
    for fact in servants:
        category = target_category or fact.category
        if category not in cache:
            cache[category] = requirement_for(rule, category, requirements)
        results.append(
            engine.evaluate(
                servant=fact,
                target_category=category,
                ratings=ratings[fact.id],
                records=records[fact.id],
                rule=rule,
                requirement=cache[category],
                as_of=as_of,
            )
        )
    return results


@dataclass
class MeritocracyLevel:
    held: int
    promoted: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.promoted / self.held, 1) if self.held else None


def meritocracy_level(
    *, start: datetime.date, end: datetime.date, agency: Agency | None = None
) -> MeritocracyLevel:
    """Competitions that ended with an appointment to a higher position ÷ competitions held
    (those that took place: outcome promoted or appointed), for a period and region/agency."""
    competitions = Competition.objects.filter(held_on__gte=start, held_on__lte=end).exclude(
        outcome=CompetitionOutcome.FAILED
    )
    if agency is not None:
        competitions = competitions.filter(agency=agency)
    counts = competitions.aggregate(
        held=Count("pk"), promoted=Count("pk", filter=Q(outcome=CompetitionOutcome.PROMOTED))
    )
    return MeritocracyLevel(held=counts["held"], promoted=counts["promoted"])


def year_earlier(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    return add_years(start, -1), add_years(end, -1)
