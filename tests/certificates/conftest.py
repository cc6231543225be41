import datetime

import pytest
from django.utils import timezone

from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory


@pytest.fixture
def completed_record(agency_a, academy_manager, today):
    """A completion of a 40-hour programme with titles in both languages."""
    programme = ProgrammeFactory(
        code="ANTICOR-C",
        title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        title_ru="Противодействие коррупции",
        academic_hours=40,
    )
    session = SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=6),
    )
    servant = ServantFactory(
        agency=agency_a, last_name="Жұмабаева", first_name="Әйгерім", middle_name="Серікқызы"
    )
    enrolment = Enrolment.objects.create(
        servant=servant, session=session, status="enrolled", requested_at=timezone.now()
    )
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    return enrolment.qualification_records.get()
