"""Demo mandatory training (seed_demo) for the state bodies whose HR officers have demo logins:
some completed, some under way, some overdue, some just assigned, and the automatic ones for
requirements that lapse within 90 days. New ones go through the services; the ones that must
look older (completed, overdue) are written with their past dates, as if assigned months ago."""

import datetime

from django.contrib.auth import get_user_model

from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from people.models import CivilServant

from . import services
from .models import Assignment, AssignmentSource

REASON = "Лауазымның біліктілік талабы / Квалификационное требование должности"
ANTI_CORRUPTION = "Ведомстволық бұйрық / Приказ по ведомству"


def seed(*, stdout, today: datetime.date, **kwargs) -> None:
    if not Assignment.objects.filter(source=AssignmentSource.MANUAL).exists():
        officers = get_user_model().objects.filter(username__in=["hr.akimat", "hr.oral"])
        for officer in officers.order_by("username"):
            agency = officer.hr_officer.agencies.order_by("pk").first()
            if agency is not None:
                made = _seed_agency(officer, agency, today)
                stdout.write(f"Assignments: {made} for {agency.code}.")
    automatic = services.lapsing_assignments_create(as_of=today)
    stdout.write(f"Assignments for lapsing requirements: {automatic}.")


def _seed_agency(officer, agency, today: datetime.date) -> int:
    people = list(
        CivilServant.objects.filter(agency=agency).select_related("agency").order_by("pk")
    )
    used: set[int] = set()
    made = 0

    # Completed: a programme finished after it was assigned (imported records count too).
    records = (
        QualificationRecord.objects.filter(
            servant__agency=agency,
            is_current=True,
            programme__isnull=False,
            completed_on__gte=today - datetime.timedelta(days=150),
            completed_on__lte=today,
        )
        .exclude(servant__user__username="servant")  # theirs is open: My learning shows it
        .select_related("servant")
        .order_by("-completed_on", "pk")
    )
    for record in records:
        if record.servant_id in used or made >= 3:
            continue
        Assignment.objects.create(
            servant=record.servant,
            programme_id=record.programme_id,
            due_on=record.completed_on + datetime.timedelta(days=30),
            assigned_on=record.completed_on - datetime.timedelta(days=45),
            reason=REASON,
            assigned_by=officer,
        )
        used.add(record.servant_id)
        made += 1

    # Under way: people enrolled (or waiting) in an upcoming session of the programme.
    enrolments = (
        Enrolment.objects.filter(
            servant__agency=agency,
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED],
            session__starts_on__gt=today,
        )
        .select_related("servant__agency", "session__programme")
        .order_by("session__starts_on", "pk")
    )
    under_way = 0
    for enrolment in enrolments:
        if enrolment.servant_id in used or under_way >= 3:
            continue
        plan = services.assignments_create(
            actor=officer,
            servants=[enrolment.servant],
            programme=enrolment.session.programme,
            due_on=enrolment.session.ends_on + datetime.timedelta(days=14),
            reason=REASON,
        )
        used.add(enrolment.servant_id)
        under_way += plan.assigned
    made += under_way

    rest = [p for p in people if p.pk not in used]
    demo_servant = next((p for p in rest if p.user_id and p.user.username == "servant"), None)
    # Overdue: 16 hours of qualification upgrade that were due ten days ago.
    overdue = [p for p in rest if p is not demo_servant][:3]
    plan = services.assignments_create(
        actor=officer,
        servants=overdue,
        hours=16,
        due_on=today + datetime.timedelta(days=1),
        reason=ANTI_CORRUPTION,
    )
    Assignment.objects.filter(
        pk__in=[o.assignment.pk for o in plan.outcomes if o.assignment]
    ).update(
        assigned_on=today - datetime.timedelta(days=70), due_on=today - datetime.timedelta(days=10)
    )
    made += plan.assigned
    # Assigned, due in two months (the demo servant among them: My learning shows it).
    fresh = [p for p in rest if p not in overdue][:3]
    if demo_servant is not None and demo_servant not in fresh:
        fresh.append(demo_servant)
    plan = services.assignments_create(
        actor=officer,
        servants=fresh,
        hours=24,
        due_on=today + datetime.timedelta(days=60),
        reason=REASON,
    )
    made += plan.assigned
    return made
