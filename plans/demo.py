"""Demo training plans (seed_demo), written through the services: next year's plans being
collected (most state bodies have submitted, a few are drafts) and this year's, locked, whose
lines meet the enrolments already made (plan against actual has figures to show)."""

import datetime
import random
from collections import Counter

from django.contrib.auth import get_user_model

from courses.models import Programme, ProgrammeKind
from enrolments.models import Enrolment
from people.models import Agency, CivilServant

from . import services
from .models import PlanningYear, PlanStatus, TrainingPlan
from .selectors import PLACED


def _actor_for(agency, manager):
    """The state body's HR officer when it has a demo login, else the academy (entering the
    plan the body sent on paper)."""
    officer = get_user_model().objects.filter(hr_officer__agencies=agency).first()
    return officer or manager


def seed(*, stdout, today: datetime.date, rng: random.Random | None = None, **kwargs) -> None:
    if PlanningYear.objects.exists():
        return
    rng = random.Random(16) if rng is None else random.Random(rng.random())
    manager = get_user_model().objects.filter(username="manager").first()
    programmes = list(Programme.objects.filter(live=True).order_by("code"))
    if manager is None or not programmes:
        return
    agencies = list(Agency.objects.order_by("pk"))

    # This year: locked; lines where each state body's people actually were placed.
    this_year = services.planning_year_set(
        actor=manager, year=today.year, submission_deadline=datetime.date(today.year, 1, 31)
    )
    placed = Counter(
        (
            e["servant__agency_id"],
            e["session__programme_id"],
            (e["session__starts_on"].month - 1) // 3 + 1,
        )
        for e in Enrolment.objects.filter(
            session__starts_on__year=today.year, status__in=PLACED
        ).values("servant__agency_id", "session__programme_id", "session__starts_on")
    )
    by_pk = {p.pk: p for p in programmes}
    for agency in agencies:
        mine = [(k, n) for k, n in placed.items() if k[0] == agency.pk and k[1] in by_pk]
        for (_agency, programme_id, quarter), count in sorted(mine)[:4]:
            services.plan_line_add(
                actor=manager,
                agency=agency,
                planning_year=this_year,
                programme=by_pk[programme_id],
                quarter=quarter,
                people_count=count + rng.randint(0, 3),
            )
    for plan in TrainingPlan.objects.filter(year=this_year):
        services.plan_submit(actor=manager, plan=plan)
    services.plan_year_lock(actor=manager, planning_year=this_year)

    # Next year: collected until a month from today.
    next_year = services.planning_year_set(
        actor=manager,
        year=today.year + 1,
        submission_deadline=today + datetime.timedelta(days=30),
    )
    popular = programmes[: min(len(programmes), 8)]
    lines = 0
    for index, agency in enumerate(agencies):
        actor = _actor_for(agency, manager)
        people = list(
            CivilServant.objects.filter(agency=agency).order_by("last_name", "first_name")[:6]
        )
        for number, programme in enumerate(rng.sample(popular, k=min(3, len(popular)))):
            count = rng.randint(2, 9)
            named = people[number * 2 : number * 2 + min(2, count)] if number < 2 else []
            services.plan_line_add(
                actor=actor,
                agency=agency,
                planning_year=next_year,
                programme=programme,
                quarter=rng.randint(1, 4),
                people_count=count,
                servants=named,
            )
            lines += 1
        if index % 3 == 0:
            services.plan_line_add(
                actor=actor,
                agency=agency,
                planning_year=next_year,
                kind=ProgrammeKind.RETRAINING,
                hours=120,
                quarter=rng.randint(1, 4),
                people_count=rng.randint(1, 3),
            )
            lines += 1
        # Every fourth state body is still working on its draft.
        if index % 4 != 3:
            plan = TrainingPlan.objects.get(agency=agency, year=next_year)
            services.plan_submit(actor=actor, plan=plan)
    submitted = TrainingPlan.objects.filter(year=next_year, status=PlanStatus.SUBMITTED).count()
    stdout.write(
        f"Training plans: {lines} lines for {today.year + 1} ({submitted} plans submitted), "
        f"{this_year.year} locked."
    )
