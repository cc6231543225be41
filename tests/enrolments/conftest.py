import datetime

import pytest

from core import authorization as roles
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory, UserFactory


@pytest.fixture
def open_session(db, today):
    """A session whose enrolment window is open today, capacity 2."""
    programme = ProgrammeFactory(code="ANTICOR-C", academic_hours=40)
    return SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=14),
        capacity=2,
    )


@pytest.fixture
def make_servant(agency_a):
    def make(**kwargs):
        kwargs.setdefault("agency", agency_a)
        servant = ServantFactory(**kwargs)
        if servant.user_id is None:
            servant.user = UserFactory(username=f"s-{servant.iin}", role=roles.CIVIL_SERVANTS)
            servant.save(update_fields=["user"])
        return servant

    return make


@pytest.fixture
def past_session(db, today):
    """A session that started five days ago and has ended."""
    programme = ProgrammeFactory(code="ETHICS-C", academic_hours=40, validity_years=3)
    return SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today - datetime.timedelta(days=1),
        capacity=10,
    )
