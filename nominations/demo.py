"""Demo nominations for hr.akimat's state body, made through the services (seed_demo)."""

import datetime

from django.contrib.auth import get_user_model

from enrolments.models import EnrolmentStatus
from people.models import CivilServant

from . import selectors, services
from .models import Nomination


def seed(*, stdout, today: datetime.date, **kwargs) -> None:
    if Nomination.objects.exists():
        return
    officer = get_user_model().objects.filter(username="hr.akimat").first()
    if officer is None:
        return
    agency = officer.hr_officer.agencies.first()
    people = list(
        CivilServant.objects.filter(agency=agency, position__isnull=False)
        .exclude(user__username__in=["servant", "servant2"])
        .select_related("agency", "position")
        .order_by("pk")
    )
    due = selectors.training_due(people, as_of=today)
    # People due for training first, as HR would pick them.
    people.sort(key=lambda s: (s.pk not in due, s.pk))
    sessions = [
        s
        for s in selectors.sessions_for_nomination(today=today)
        if s.window_is_open(today) and not s.programme.audience and s.free_seats >= 2
    ]
    made = 0
    for session, group in zip(sessions[:2], (people[:4], people[4:7]), strict=False):
        plan = services.nominations_create(
            actor=officer,
            session=session,
            servants=group,
            reason="Біліктілік талабын сақтау үшін / Для поддержания квалификационного требования",
        )
        made += plan.enrolled + plan.waitlisted
    # The demo servant is nominated too (My learning shows it) and has asked to withdraw.
    servant = CivilServant.objects.filter(user__username="servant").first()
    held = set(servant.enrolments.values_list("session_id", flat=True)) if servant else set()
    free = [s for s in sessions[2:] if s.pk not in held]
    if servant is not None and free and servant.agency_id == agency.pk:
        plan = services.nominations_create(
            actor=officer,
            session=free[0],
            servants=[servant],
            reason="Мемлекеттік тілде іс жүргізу / Делопроизводство на государственном языке",
        )
        nomination = plan.outcomes[0].nomination
        if nomination is not None and nomination.enrolment.status != EnrolmentStatus.WITHDRAWN:
            services.withdrawal_request(
                nomination=nomination,
                actor=servant.user,
                reason="Іссапардамын / В эти даты я в командировке",
            )
            made += 1
    stdout.write(f"Nominations: {made} for {agency.code}.")
