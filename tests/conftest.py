import pytest

from core import authorization as roles
from tests.factories import AgencyFactory, ServantFactory, UserFactory, hr_officer_for


@pytest.fixture
def agency_a(db):
    return AgencyFactory(code="akimat-a", name_ru="Акимат А", name_kk="А әкімдігі")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(code="akimat-b", name_ru="Акимат Б", name_kk="Б әкімдігі")


@pytest.fixture
def hr_officer_a(agency_a):
    """An HR officer of agency A only."""
    return hr_officer_for(agency_a, username="hr-a")


def admin_in_english(user):
    """Back-office pages follow the user's Wagtail language; tests read them in English."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def academy_manager(db):
    return admin_in_english(UserFactory(username="manager", role=roles.ACADEMY_MANAGERS))


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=roles.AUDITORS)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def servant_of_a(agency_a):
    """A civil servant of agency A with a login."""
    user = UserFactory(username="servant-a", role=roles.CIVIL_SERVANTS)
    return ServantFactory(agency=agency_a, user=user, last_name="Ахметов", first_name="Ерлан")


@pytest.fixture
def servant_of_b(agency_b):
    return ServantFactory(agency=agency_b, last_name="Жұмабаева", first_name="Айгүл")
