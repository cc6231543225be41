"""Demo enrolments in every status, made through the services (seed_demo calls `seed`)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Session, SessionStatus
from people.models import Agency

from . import results, services
from .models import Enrolment, EnrolmentStatus


def seed(*, stdout, rng, today: datetime.date, servants, **kwargs) -> None:
    if not Enrolment.objects.exists():
        seed_lifecycle(rng=rng, today=today, servants=servants)
    seed_pending_for_hr_officers(today=today, servants=servants)
    counts = {
        status.value: Enrolment.objects.filter(status=status).count() for status in EnrolmentStatus
    }
    stdout.write("Enrolments: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))


def _open_sessions(today: datetime.date) -> list[Session]:
    return [
        s
        for s in Session.objects.filter(status=SessionStatus.SCHEDULED)
        .select_related("programme")
        .order_by("starts_on", "pk")
        if s.window_is_open(today)
    ]


def seed_pending_for_hr_officers(*, today: datetime.date, servants, per_agency: int = 4) -> None:
    """Requests awaiting approval from people of every state body that has an HR login, so
    each demo HR officer (hr.akimat, hr.oral) finds work in Approvals. Idempotent: a state
    body that already has a pending request gets no more."""
    manager = get_user_model().objects.get(username="manager")
    approval = [
        s
        for s in _open_sessions(today)
        if s.programme.requires_approval and not s.programme.audience
    ]
    if not approval:
        return
    for agency in Agency.objects.filter(hr_officers__isnull=False).distinct().order_by("pk"):
        pending = Enrolment.objects.filter(
            status=EnrolmentStatus.PENDING_APPROVAL, servant__agency=agency
        )
        if pending.exists():
            continue
        # The agency's last people in the list: the first ones fill the lifecycle examples.
        people = [s for s in servants if s.agency_id == agency.pk and s.position_id]
        made = 0
        for index, servant in enumerate(reversed(people)):
            if made >= per_agency:
                break
            try:
                services.enrolment_request(
                    servant=servant, session=approval[index % len(approval)], actor=manager
                )
            except services.EnrolmentRefused:
                continue
            made += 1


def seed_lifecycle(*, rng, today: datetime.date, servants) -> None:
    User = get_user_model()
    manager = User.objects.get(username="manager")
    open_sessions = _open_sessions(today)
    eligible = [s for s in servants if s.position_id]

    def request(servant, session):
        try:
            return services.enrolment_request(servant=servant, session=session, actor=manager)
        except services.EnrolmentRefused:
            return None

    # 1. A popular open session: fill it, then a waiting list of three.
    plain = [
        s for s in open_sessions if not s.programme.requires_approval and not s.programme.audience
    ]
    full = plain[0]
    Session.objects.filter(pk=full.pk).update(capacity=5)
    full.refresh_from_db()
    for servant in eligible[:8]:
        request(servant, full)
    # 2. A second open session with a withdrawal (which promotes nobody: seats are free).
    second = plain[1]
    for servant in eligible[8:14]:
        request(servant, second)
    withdrawn = Enrolment.objects.filter(session=second).first()
    services.enrolment_withdraw(enrolment=withdrawn, actor=manager)
    # The demo civil servant ("servant" login = servants[0]) is on the full session above;
    # give them a second enrolment too.
    request(servants[0], second)
    # 3. A programme that needs approval: one approved, one rejected, others pending.
    approval = [
        s for s in open_sessions if s.programme.requires_approval and not s.programme.audience
    ]
    if approval:
        session = approval[0]
        made = [e for e in (request(s, session) for s in eligible[14:19]) if e]
        if len(made) >= 2:
            services.enrolment_decide(enrolment=made[0], approve=True, actor=manager)
            services.enrolment_decide(
                enrolment=made[1],
                approve=False,
                actor=manager,
                reason="Не соответствует профилю должности / Лауазым бейініне сәйкес келмейді",
            )
    # 4. A session that was cancelled.
    if len(plain) > 2:
        # The demo civil servant is among them: My learning shows why it was cancelled.
        for servant in [servants[0], *eligible[19:22]]:
            request(servant, plain[2])
        services.session_cancel(
            session=plain[2], actor=manager, reason="Преподаватель заболел / Оқытушы ауырып қалды"
        )
    # 5. Past sessions: completed, failed and no-show results with qualification records.
    past = list(
        Session.objects.filter(status=SessionStatus.FINISHED)
        .select_related("programme")
        .order_by("starts_on")[:6]
    )
    participants = eligible[22:]
    index = 0
    now = timezone.now()
    for session in past:
        hours = session.programme.academic_hours
        for _ in range(6):
            servant = participants[index % len(participants)]
            index += 1
            enrolment = Enrolment.objects.create(
                servant=servant,
                session=session,
                status=EnrolmentStatus.ENROLLED,
                requested_at=now - datetime.timedelta(days=90),
            )
            roll = rng.random()
            if roll < 0.75:
                attended, passed = hours, True
            elif roll < 0.9:
                attended, passed = max(1, hours // 2), True
            else:
                attended, passed = 0, False
            results.enrolment_record_result(
                enrolment=enrolment, attended_hours=attended, passed=passed, actor=manager
            )
    # The demo servant has a completed course in their record too.
    demo_session = past[0]
    if not Enrolment.objects.filter(servant=servants[0], session=demo_session).exists():
        enrolment = Enrolment.objects.create(
            servant=servants[0],
            session=demo_session,
            status=EnrolmentStatus.ENROLLED,
            requested_at=now - datetime.timedelta(days=90),
        )
        results.enrolment_record_result(
            enrolment=enrolment,
            attended_hours=demo_session.programme.academic_hours,
            passed=True,
            actor=manager,
        )
