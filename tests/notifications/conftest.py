"""Personas for notifications: a civil servant who reads Kazakh and one who reads Russian
(each with a login), and HR officers of their state body who read the back office in Kazakh
and in Russian."""

import datetime

import pytest
from django.utils import timezone

from core import authorization as roles
from tests.factories import (
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
    hr_officer_for,
)


def set_admin_language(user, language: str):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def servant_with_login(agency, *, language: str, username: str, **kwargs):
    user = UserFactory(username=username, role=roles.CIVIL_SERVANTS)
    return ServantFactory(
        agency=agency,
        user=user,
        preferred_language=language,
        email=f"{username}@example.kz",
        **kwargs,
    )


@pytest.fixture
def kazakh_servant(agency_a):
    return servant_with_login(
        agency_a,
        language="kk",
        username="aigerim",
        last_name="Жұмабаева",
        first_name="Әйгерім",
        middle_name="Серікқызы",
    )


@pytest.fixture
def russian_servant(agency_a):
    return servant_with_login(
        agency_a,
        language="ru",
        username="ivan",
        last_name="Петров",
        first_name="Иван",
        middle_name="Сергеевич",
    )


@pytest.fixture
def kazakh_hr(agency_a):
    user = hr_officer_for(agency_a, username="hr-kk")
    user.first_name = "Гүлнар"
    user.save()
    return set_admin_language(user, "kk")


@pytest.fixture
def russian_hr(agency_a):
    user = hr_officer_for(agency_a, username="hr-ru")
    user.first_name = "Ольга"
    user.save()
    return set_admin_language(user, "ru")


@pytest.fixture
def programme(db):
    return ProgrammeFactory(
        code="ANTICOR-N",
        title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        title_ru="Противодействие коррупции",
        title_en="Anti-corruption",
        academic_hours=40,
    )


@pytest.fixture
def open_session(programme, today):
    """A session whose enrolment window is open today."""
    return SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=14),
        capacity=1,
    )


def record_for(servant, *, valid_until: datetime.date, completed_on: datetime.date | None = None):
    from enrolments.models import QualificationRecord

    return QualificationRecord.objects.create(
        servant=servant,
        title_kk="Мемлекеттік қызмет этикасы",
        title_ru="Этика государственной службы",
        kind="upgrade",
        provider_ru="Академия",
        hours=40,
        completed_on=completed_on or timezone.localdate() - datetime.timedelta(days=900),
        valid_until=valid_until,
        source="manual",
    )
