"""A seeded year (2025) of the academy's training across two state bodies, with every outcome:
completed, not passed, did not attend, withdrawn; certificates issued and revoked; a course of
another provider; and a training of the year before whose certificate is revoked in 2025."""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from courses.models import ProgrammeKind
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.results import enrolment_record_result
from tests.factories import PositionFactory, ProgrammeFactory, ServantFactory, SessionFactory

YEAR = 2025


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def enrol(servant, session, status=EnrolmentStatus.ENROLLED):
    return Enrolment.objects.create(
        servant=servant, session=session, status=status, requested_at=moment(session.starts_on)
    )


def result(enrolment, attended, passed, actor):
    with time_machine.travel(moment(enrolment.session.ends_on, 17), tick=False):
        enrolment_record_result(
            enrolment=enrolment, attended_hours=attended, passed=passed, actor=actor
        )
    enrolment.refresh_from_db()
    return enrolment.qualification_records.filter(is_current=True).first()


def issue(record, actor, day):
    with time_machine.travel(moment(day), tick=False):
        return certificate_issue(record=record, actor=actor)


def revoke(certificate, actor, day):
    with time_machine.travel(moment(day), tick=False):
        return certificate_revoke(
            certificate=certificate, reason="Ошибка в документах", actor=actor
        )


@dataclass
class Seeded:
    agency_a: object
    agency_b: object
    upgrade: object
    retraining: object


@pytest.fixture
def seeded_year(agency_a, agency_b, academy_manager):
    """2025, expected: people trained 2 (a1, b1); completions 3; hours 36+120+36 = 192;
    results 6 (completed 3, not passed 1, did not attend 2); certificates issued 2, revoked 2."""
    upgrade = ProgrammeFactory(
        code="ANTICOR-36",
        title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        title_ru="Противодействие коррупции",
        kind=ProgrammeKind.QUALIFICATION_UPGRADE,
        academic_hours=36,
    )
    retraining = ProgrammeFactory(
        code="RETRAIN-120",
        title_kk="Мемлекеттік басқару: қайта даярлау",
        title_ru="Государственное управление: переподготовка",
        kind=ProgrammeKind.RETRAINING,
        academic_hours=120,
    )
    s1 = SessionFactory(
        programme=upgrade,
        starts_on=datetime.date(YEAR, 3, 10),
        ends_on=datetime.date(YEAR, 3, 14),
    )
    s2 = SessionFactory(
        programme=retraining,
        starts_on=datetime.date(YEAR, 5, 5),
        ends_on=datetime.date(YEAR, 5, 30),
    )
    earlier = SessionFactory(
        programme=upgrade,
        starts_on=datetime.date(YEAR - 1, 11, 11),
        ends_on=datetime.date(YEAR - 1, 11, 15),
    )
    chief_a = PositionFactory(agency=agency_a, category="C-O-5")
    head_a = PositionFactory(agency=agency_a, category="D-3")
    chief_b = PositionFactory(agency=agency_b, category="C-O-5")
    a1 = ServantFactory(agency=agency_a, position=chief_a)
    a2 = ServantFactory(agency=agency_a, position=head_a)
    a3 = ServantFactory(agency=agency_a, position=head_a)
    b1 = ServantFactory(agency=agency_b, position=chief_b)
    b2 = ServantFactory(agency=agency_b, position=chief_b)

    manager = academy_manager
    a1_upgrade = result(enrol(a1, s1), 36, True, manager)
    result(enrol(a2, s1), 0, False, manager)  # did not attend
    b1_upgrade = result(enrol(b1, s1), 36, True, manager)
    result(enrol(b2, s1), 10, False, manager)  # not passed
    enrol(a3, s1, EnrolmentStatus.WITHDRAWN)  # withdrew: not an outcome
    result(enrol(a1, s2), 120, True, manager)
    result(enrol(b1, s2), 0, False, manager)  # did not attend
    a3_earlier = result(enrol(a3, earlier), 36, True, manager)  # 2024: not this year's training

    # Another provider's course, imported: not the academy's training.
    QualificationRecord.objects.create(
        servant=b2,
        title_ru="Курс другой организации",
        provider_ru="Другая организация",
        kind=ProgrammeKind.SEMINAR,
        hours=8,
        completed_on=datetime.date(YEAR, 6, 1),
        valid_until=datetime.date(YEAR + 3, 6, 1),
        source="import",
    )

    issue(a1_upgrade, manager, datetime.date(YEAR, 3, 20))
    revoke(
        issue(b1_upgrade, manager, datetime.date(YEAR, 3, 20)), manager, datetime.date(YEAR, 4, 2)
    )
    old = issue(a3_earlier, manager, datetime.date(YEAR - 1, 11, 20))
    revoke(old, manager, datetime.date(YEAR, 2, 3))  # revoked this year, issued the year before
    return Seeded(agency_a=agency_a, agency_b=agency_b, upgrade=upgrade, retraining=retraining)
