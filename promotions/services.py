"""Promotion eligibility (the merit rule): one person, a state body, the path to eligibility.

`eligibility_evaluate` (one person) and `eligibility_for_agency` (everyone) load their data
with a fixed number of set-based queries and hand it to the same pure `engine.evaluate`.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from config.routers import reporting_alias
from core.dates import add_years, last_complete_quarters
from core.trail import before, trail_created, trail_updated
from enrolments.models import QualificationRecord
from enrolments.requirements import TrainingRequirements
from people.categories import category_matches
from people.models import Agency, CivilServant, PerformanceRating

from . import engine
from .models import (
    Competition,
    EligibilityCheck,
    QualificationRequirement,
    RuleSet,
)

# A training requirement lapsing within this many days is reminded of, and shown in My learning.
REMIND_WITHIN_DAYS = 90


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
    # The record's title as it was kept before names per language: Russian, else Kazakh.
    Coalesce(NullIf("title_ru", Value("")), NullIf("title_kk", Value("")), "title_en"),
    "uid",
)


def _load(servants_qs, rule: RuleSet, as_of: datetime.date):
    quarters = last_complete_quarters(as_of, rule.consecutive_effective_quarters)
    quarter_q = Q(pk__in=[])
    for year, quarter in quarters:
        quarter_q |= Q(year=year, quarter=quarter)
    servant_rows = list(servants_qs.values_list("pk", "position__category", "first_appointed_on"))
    # Ordered as the models' Meta within each servant, but by servant id: ordering by the
    # servant's name would join and sort the whole servants table (tests/test_query_plans.py).
    ratings_rows = (
        PerformanceRating.objects.filter(quarter_q, servant__in=servants_qs)
        .order_by("servant_id", "-year", "-quarter")
        .values_list("servant_id", "year", "quarter", "rating")
    )
    # Every current record could matter (retraining since appointment, required programmes).
    record_rows = (
        QualificationRecord.objects.filter(
            servant__in=servants_qs, is_current=True, completed_on__lte=as_of
        )
        .order_by("servant_id", "-completed_on", "pk")
        .values_list(*_RECORD_FIELDS)
    )
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
        training=TrainingRequirements.load(on=as_of).terms(category, as_of),
        as_of=as_of,
    )


def _servants_of(agency: Agency | None):
    servants = CivilServant.objects.all()
    return servants if agency is None else servants.filter(agency=agency)


def eligibility_stream(
    *,
    agency: Agency | None,
    target_category: str | None = None,
    as_of: datetime.date,
    rule: RuleSet | None = None,
    chunk_size: int = 5000,
) -> Iterator[engine.EligibilityResult]:
    """Everyone of `agency` (or the whole region when None), one result at a time in the order
    of the servants' ids, with a constant number of queries and bounded memory.

    The three set-based SELECTs of `_load` (servants, ratings, records), each ordered by
    servant, are read side by side in chunks (server-side cursors on PostgreSQL) and joined
    here, so no more than a chunk of each is held at once. `rule` overrides the rule set in
    force (for a dry run of a future version). NoRuleSet is raised at once, not when the
    results are first read.

    A report: the three SELECTs read the reporting database (the replica, when there is one).
    The check that is stored for audit (`eligibility_check_record`) reads the primary."""
    rule = rule or rule_set_on(as_of)
    return _eligibility_rows(
        agency=agency,
        target_category=target_category,
        as_of=as_of,
        rule=rule,
        chunk_size=chunk_size,
    )


def _eligibility_rows(*, agency, target_category, as_of, rule, chunk_size):
    requirements = list(rule.requirements.all())
    # Explicit `.using()` rather than `reporting_db()`: a generator must not leave the
    # routing switched on in its caller between two results.
    db = reporting_alias()
    training = TrainingRequirements.load(using=db)
    servants_qs = _servants_of(agency).using(db)
    quarters = last_complete_quarters(as_of, rule.consecutive_effective_quarters)
    quarter_q = Q(pk__in=[])
    for year, quarter in quarters:
        quarter_q |= Q(year=year, quarter=quarter)
    servant_rows = (
        servants_qs.order_by("pk")
        .values_list("pk", "position__category", "first_appointed_on")
        .iterator(chunk_size=chunk_size)
    )
    ratings_rows = (
        PerformanceRating.objects.using(db)
        .filter(quarter_q, servant__in=servants_qs)
        .order_by("servant_id")
        .values_list("servant_id", "year", "quarter", "rating")
        .iterator(chunk_size=chunk_size)
    )
    # Every current record could matter (retraining since appointment, required programmes).
    # Per servant in _load's order (newest first): the explanations list them in that order.
    record_rows = (
        QualificationRecord.objects.using(db)
        .filter(servant__in=servants_qs, is_current=True, completed_on__lte=as_of)
        .order_by("servant_id", "-completed_on", "pk")
        .values_list(*_RECORD_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    cache: dict[str, tuple] = {}
    evaluator = engine.Evaluator(rule=rule, as_of=as_of)
    record_fact = engine.RecordFact
    rating = next(ratings_rows, None)
    record = next(record_rows, None)
    for pk, category, first_appointed_on in servant_rows:
        ratings = {}
        while rating is not None and rating[0] <= pk:
            if rating[0] == pk:
                ratings[(rating[1], rating[2])] = rating[3]
            rating = next(ratings_rows, None)
        records = []
        while record is not None and record[0] <= pk:
            if record[0] == pk:
                _sid, kind, hours, completed_on, valid_until, code, title, uid = record
                records.append(
                    record_fact(kind, hours, completed_on, valid_until, code or "", title, uid)
                )
            record = next(record_rows, None)
        fact = engine.ServantFact(pk, category or "", first_appointed_on)
        target = target_category or fact.category
        terms = cache.get(target)
        if terms is None:
            terms = cache[target] = (
                requirement_for(rule, target, requirements),
                training.terms(target, as_of),
            )
        yield evaluator.evaluate(
            servant=fact,
            target_category=target,
            ratings=ratings,
            records=records,
            requirement=terms[0],
            training=terms[1],
        )


def eligibility_criteria_codes(
    *,
    agency: Agency | None,
    target_category: str | None = None,
    as_of: datetime.date,
    rule: RuleSet | None = None,
) -> list[str]:
    """The criteria codes that `eligibility_stream` results will carry, sorted, before any
    is evaluated (e.g. for a report's header): they follow from the requirement of each
    category present."""
    rule = rule or rule_set_on(as_of)
    requirements = list(rule.requirements.all())
    if target_category:
        servants = _servants_of(agency).using(reporting_alias())
        categories = {target_category} if servants.exists() else set()
    else:
        categories = {
            c or ""
            for c in _servants_of(agency)
            .using(reporting_alias())
            .order_by()
            .values_list("position__category", flat=True)
            .distinct()
        }
    codes = set()
    for category in categories:
        codes.update(engine.criteria_codes(requirement_for(rule, category, requirements)))
    return sorted(codes)


def eligibility_for_agency(
    *,
    agency: Agency | None,
    target_category: str | None = None,
    as_of: datetime.date,
    rule: RuleSet | None = None,
) -> list[engine.EligibilityResult]:
    """`eligibility_stream` as a list (in the order of the servants' ids)."""
    return list(
        eligibility_stream(agency=agency, target_category=target_category, as_of=as_of, rule=rule)
    )


def eligibility_check_record(
    *, servant: CivilServant, target_category: str, as_of: datetime.date, actor
) -> EligibilityCheck:
    """Run a check for HR and keep it: inputs, rule version and the explained result."""
    from django.core.exceptions import PermissionDenied
    from wagtail.log_actions import log

    from people.scoping import scope_queryset

    if not scope_queryset(CivilServant.objects.filter(pk=servant.pk), actor).exists():
        raise PermissionDenied(_("You may not check this person."))
    result = eligibility_evaluate(servant=servant, target_category=target_category, as_of=as_of)
    check = EligibilityCheck.objects.create(
        servant=servant,
        target_category=result.target_category,
        as_of=as_of,
        rule_set=RuleSet.objects.get(version=result.rule_version),
        eligible=result.eligible,
        result=result.as_dict(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log(
        instance=check,
        action="promotions.check.run",
        user=actor,
        data={
            "eligible": result.eligible,
            "rule_version": result.rule_version,
            "target_category": result.target_category,
            "as_of": as_of.isoformat(),
            # Codes only: `explanations.explain_check_run` words them when the entry is read.
            "unmet": [c.code for c in result.criteria if not c.met],
        },
    )
    return check


@dataclass
class DryRunChange:
    servant_id: int
    before: bool
    after: bool
    reasons: list[str]


def ruleset_dry_run(
    *, rule_set: RuleSet, as_of: datetime.date | None = None, agency: Agency | None = None
) -> tuple[int, list[DryRunChange]]:
    """Before a new rule version takes effect: who would change status if it applied on
    `as_of` (default: its effective date), compared with the version in force then."""
    as_of = as_of or rule_set.effective_from
    current = (
        RuleSet.objects.filter(effective_from__lt=rule_set.effective_from)
        .order_by("-effective_from")
        .first()
    )
    after = eligibility_for_agency(agency=agency, as_of=as_of, rule=rule_set)
    if current is None:
        before = {r.servant_id: False for r in after}
    else:
        before = {
            r.servant_id: r.eligible
            for r in eligibility_for_agency(agency=agency, as_of=as_of, rule=current)
        }
    changes = [
        DryRunChange(
            r.servant_id,
            before[r.servant_id],
            r.eligible,
            [c.explanation for c in r.criteria if not c.met],
        )
        for r in after
        if before[r.servant_id] != r.eligible
    ]
    return len(after), changes


def training_coverage(*, as_of: datetime.date) -> dict[int, tuple[int, int]]:
    """Per agency id: (servants whose training requirement is met, servants)."""
    agency_of = dict(CivilServant.objects.values_list("pk", "agency_id"))
    coverage: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for result in eligibility_for_agency(agency=None, as_of=as_of):
        hours = next(c for c in result.criteria if c.code == "training_hours")
        entry = coverage[agency_of[result.servant_id]]
        entry[0] += hours.met
        entry[1] += 1
    return {agency_id: (met, total) for agency_id, (met, total) in coverage.items()}


def training_lapse_date(
    result: engine.EligibilityResult, *, window_years: int
) -> datetime.date | None:
    """When the training-hours criterion stops being met if nothing new is completed: the day
    the oldest counted record leaves the window (None when not met now)."""
    hours = next(c for c in result.criteria if c.code == "training_hours")
    if not hours.met or not hours.evidence:
        return None
    oldest = min(datetime.date.fromisoformat(e["completed_on"]) for e in hours.evidence)
    return add_years(oldest, window_years)


def _open_training_sessions(*, category: str, as_of: datetime.date, count: int) -> list:
    """The first `count` sessions (soonest first) whose enrolment window is open on `as_of`, of
    live upgrade or retraining programmes open to `category`.

    The window is narrowed in SQL (a region has thousands of upcoming sessions) and rows are
    read in small chunks until `count` match; `window_is_open` and the audience rule stay the
    definition."""
    from itertools import islice

    from django.conf import settings
    from django.db.models import Q

    from courses.models import ProgrammeKind
    from courses.selectors import upcoming_sessions

    opens_by = as_of + datetime.timedelta(days=settings.ENROLMENT_OPENS_DAYS_BEFORE)
    closes_after = as_of + datetime.timedelta(days=settings.ENROLMENT_CLOSES_DAYS_BEFORE)
    window_open = (
        Q(enrolment_opens_on__lte=as_of)
        | Q(enrolment_opens_on__isnull=True, starts_on__lte=opens_by)
    ) & (
        Q(enrolment_closes_on__gte=as_of)
        | Q(enrolment_closes_on__isnull=True, starts_on__gte=closes_after)
    )
    candidates = (
        upcoming_sessions(today=as_of)
        .filter(window_open)
        .filter(
            programme__live=True,
            programme__kind__in=[ProgrammeKind.QUALIFICATION_UPGRADE, ProgrammeKind.RETRAINING],
        )
        .select_related("programme")
        .iterator(chunk_size=max(count, 20))
    )
    matching = (
        s
        for s in candidates
        if s.window_is_open(as_of) and (not category or s.programme.is_open_to(category))
    )
    return list(islice(matching, count))


def sessions_that_close_the_gap(*, servant: CivilServant, as_of: datetime.date, limit: int = 5):
    """Open sessions (window open now) of upgrade or retraining programmes the servant may
    take, each with whether completing it would meet the training-hours criterion. The same
    in-memory evaluation as My learning's path (`path_to_eligibility`), in a fixed number of
    queries whatever the number of open sessions."""
    path = _PathContext.load(servant=servant, as_of=as_of)
    return path.options(limit) if path is not None else []


def training_lapse_reminders(*, as_of: datetime.date, within_days: int | None = None) -> int:
    """E-mail each servant whose training requirement will lapse within `within_days` (and
    their HR officers), with open sessions that would renew it. Each lapse is reminded once."""
    from django.db import IntegrityError, transaction

    from .models import TrainingReminder
    from .tasks import send_training_reminder

    horizon = as_of + datetime.timedelta(days=within_days or REMIND_WITHIN_DAYS)
    rule = rule_set_on(as_of)
    window_years = TrainingRequirements.load(on=as_of).terms("", as_of).window_years
    sent = 0
    for result in eligibility_for_agency(agency=None, as_of=as_of, rule=rule):
        lapses_on = training_lapse_date(result, window_years=window_years)
        if lapses_on is None or lapses_on > horizon:
            continue
        try:
            with transaction.atomic():
                TrainingReminder.objects.create(servant_id=result.servant_id, lapses_on=lapses_on)
        except IntegrityError:
            continue  # already reminded of this lapse
        transaction.on_commit(
            lambda pk=result.servant_id, day=lapses_on: send_training_reminder.enqueue(
                pk, day.isoformat()
            )
        )
        sent += 1
    return sent


class _PathContext:
    """Everything the path to eligibility needs for one servant, read once (the rule sets with
    their requirements, the training requirement, the ratings, the records): the rules are
    evaluated once on `as_of`, and each open session only re-counts the training hours with
    its completion added, as `eligibility_evaluate` would on the day the session ends (same
    rule set, records and `engine` functions, so the same answer)."""

    def __init__(self, *, servant, as_of, rules, training, ratings, records):
        self.servant, self.as_of, self.rules, self.training = servant, as_of, rules, training
        self.fact = engine.ServantFact(
            servant.pk, servant.category or "", servant.first_appointed_on
        )
        self.category = self.fact.category
        self.ratings, self.all_records = ratings, records

    @classmethod
    def load(cls, *, servant: CivilServant, as_of: datetime.date) -> "_PathContext | None":
        rules = list(RuleSet.objects.order_by("-effective_from").prefetch_related("requirements"))
        rule = next((r for r in rules if r.effective_from <= as_of), None)
        if rule is None:
            return None
        quarters = last_complete_quarters(as_of, rule.consecutive_effective_quarters)
        quarter_q = Q(pk__in=[])
        for year, quarter in quarters:
            quarter_q |= Q(year=year, quarter=quarter)
        ratings = {
            (year, quarter): rating
            for year, quarter, rating in PerformanceRating.objects.filter(
                quarter_q, servant_id=servant.pk
            ).values_list("year", "quarter", "rating")
        }
        # Every current record, in the order _load reads them; each evaluation keeps those
        # completed by its day.
        _servants, _ratings, by_servant = _facts(
            [],
            [],
            QualificationRecord.objects.filter(servant_id=servant.pk, is_current=True)
            .order_by("servant_id", "-completed_on", "pk")
            .values_list(*_RECORD_FIELDS),
        )
        return cls(
            servant=servant,
            as_of=as_of,
            rules=rules,
            training=TrainingRequirements.load(),
            ratings=ratings,
            records=by_servant[servant.pk],
        )

    def rule_on(self, day: datetime.date) -> RuleSet | None:
        return next((r for r in self.rules if r.effective_from <= day), None)

    def records_by(self, day: datetime.date) -> list[engine.RecordFact]:
        return [r for r in self.all_records if r.completed_on <= day]

    def result(self) -> engine.EligibilityResult:
        rule, category = self.rule_on(self.as_of), self.category
        return engine.evaluate(
            servant=self.fact,
            target_category=category,
            ratings=self.ratings,
            records=self.records_by(self.as_of),
            rule=rule,
            requirement=requirement_for(rule, category, list(rule.requirements.all())),
            training=self.training.terms(category, self.as_of),
            as_of=self.as_of,
        )

    def options(self, limit: int) -> list:
        category, as_of = self.category, self.as_of
        sessions = _open_training_sessions(category=category, as_of=as_of, count=limit * 3)
        options = []
        for session in sessions[: limit * 3]:
            programme = session.programme
            planned = engine.RecordFact(
                programme.kind,
                programme.academic_hours,
                session.ends_on,
                add_years(session.ends_on, programme.validity_years),
                programme.code,
                programme.title_ru,
            )
            day = max(as_of, session.ends_on)
            criterion = engine.hours_criterion(
                [*self.records_by(day), planned],
                self.rule_on(day),
                self.training.terms(category, day),
                self.fact.first_appointed_on,
            )
            options.append((session, criterion.met))
        options.sort(key=lambda pair: (not pair[1], pair[0].starts_on))
        return options[:limit]


def path_to_eligibility(*, servant: CivilServant, as_of: datetime.date):
    """The servant's own promotion-eligibility explanation and the open sessions that would
    close (or renew) the training requirement. Nothing when no rule set is in force.

    For a page (My learning): a fixed number of queries whatever the servant's records and
    the open sessions (`_PathContext`). `servant` must come with its position (its category)
    loaded or loadable.
    """
    path = _PathContext.load(servant=servant, as_of=as_of)
    if path is None:
        return None, [], None
    result = path.result()
    lapses_on = training_lapse_date(
        result, window_years=path.training.terms(path.category, as_of).window_years
    )
    hours = next(c for c in result.criteria if c.code == "training_hours")
    soon = lapses_on is not None and (lapses_on - as_of).days <= REMIND_WITHIN_DAYS
    if hours.met and not soon:
        return result, [], lapses_on
    return result, path.options(5), lapses_on


# -- the competitions register: imports -------------------------------------------------------

# What an import may change in a registered competition; an updated one's `_stored` holds
# their stored values in this order.
COMPETITION_UPDATE_FIELDS = ("kind", "outcome", "winner_id")


def competitions_import(*, creates: list[Competition], updates: list[Competition], actor) -> None:
    """Write an import's new and changed competitions in bulk, inside the caller's transaction,
    with the trail the admin's create and edit views leave (`competitions_trail`). The rows were
    validated and scoped by the import kind."""
    Competition.objects.bulk_create(creates, batch_size=2000)
    now = timezone.now()
    for competition in updates:  # bulk_update skips auto_now
        competition.updated_at = now
    Competition.objects.bulk_update(
        updates, [*COMPETITION_UPDATE_FIELDS, "updated_at"], batch_size=1000
    )
    competitions_trail(creates=creates, updates=updates, actor=actor)


def competitions_trail(*, creates: list[Competition], updates: list[Competition], actor) -> None:
    """History and audit entries of competitions just written in bulk, as by hand in the admin:
    `wagtail.create` and an audit create for each new one (ids set), `wagtail.edit` and an audit
    update (old → new) for each changed one. An updated competition carries `_stored` (its
    stored COMPETITION_UPDATE_FIELDS) and its other fields as stored (its label reads them)."""
    trail_created(creates, actor=actor)
    trail_updated(
        [
            (before(c, **dict(zip(COMPETITION_UPDATE_FIELDS, c._stored, strict=True))), c)
            for c in updates
        ],
        fields=COMPETITION_UPDATE_FIELDS,
        actor=actor,
    )
