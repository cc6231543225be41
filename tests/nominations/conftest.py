import datetime

import pytest

from core import authorization as roles
from tests.enrolments.conftest import make_servant, open_session  # noqa: F401 (fixtures)
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory, UserFactory


@pytest.fixture
def session_of_three(db, today):
    """A session with three seats, enrolment open today."""
    programme = ProgrammeFactory(code="NOMINATE-3", academic_hours=36)
    return SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
        capacity=3,
    )


@pytest.fixture
def people_of_a(agency_a):
    """Five civil servants of state body A, each with a login and an e-mail."""
    people = []
    for n, language in enumerate(["kk", "ru", "kk", "ru", "kk"]):
        user = UserFactory(username=f"nominee-{n}", role=roles.CIVIL_SERVANTS)
        people.append(
            ServantFactory(
                agency=agency_a,
                user=user,
                last_name=f"Тұлға{n}",
                first_name="Ерлан",
                preferred_language=language,
                email=f"nominee{n}@example.kz",
            )
        )
    return people
