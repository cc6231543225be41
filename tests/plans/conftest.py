import datetime

import pytest
from django.utils import translation

from plans.models import PlanningYear
from tests.factories import ProgrammeFactory, ServantFactory, hr_officer_for


@pytest.fixture
def planning_year(db, today):
    """Next year's plans, collected until a month from today."""
    return PlanningYear.objects.create(
        year=today.year + 1, submission_deadline=today + datetime.timedelta(days=30)
    )


@pytest.fixture
def hr_officer_b(agency_b):
    return hr_officer_for(agency_b, username="hr-b")


@pytest.fixture
def ethics(db):
    return ProgrammeFactory(code="ETHICS-36", academic_hours=36)


@pytest.fixture
def two_of_a(agency_a):
    return [
        ServantFactory(agency=agency_a, last_name="Сейітова", first_name="Гүлнар"),
        ServantFactory(agency=agency_a, last_name="Мұратов", first_name="Бауыржан"),
    ]


@pytest.fixture(autouse=True)
def english():
    """Services' messages are read in English here (the catalogs give kk and ru)."""
    with translation.override("en"):
        yield
