"""An HR officer nominates five people of their state body into a session with three seats,
through the preview and the confirmation, in a real Chromium."""

import datetime

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from core import authorization as roles
from enrolments.models import Enrolment, EnrolmentStatus
from nominations.models import Nomination
from tests.browser import log_in, no_overflow
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
    hr_officer_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    today = timezone.localdate()
    agency = AgencyFactory(code="akimat-browser", name_ru="Акимат Б", name_kk="Б әкімдігі")
    officer = hr_officer_for(agency, username="hr-browser")
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "ru"
    profile.save()
    people = [
        ServantFactory(
            agency=agency,
            last_name=f"Сотрудник{n}",
            user=UserFactory(username=f"browser-nominee-{n}", role=roles.CIVIL_SERVANTS),
        )
        for n in range(5)
    ]
    ServantFactory(agency=AgencyFactory(), last_name="Чужой")  # another body's person
    session = SessionFactory(
        programme=ProgrammeFactory(code="BROWSER-NOM", academic_hours=24),
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
        capacity=3,
    )
    return officer, people, session


def test_hr_nominates_five_into_three_seats(live_server, default_site, tab, world):
    officer, people, session = world
    page = tab(locale="ru-RU")
    log_in(page, live_server.url, "/admin/login/", officer.username)
    page.goto(f"{live_server.url}/admin/nominations/nominate/?q=Сотрудник")
    assert "Чужой" not in page.content()
    for person in people:
        page.check(f"#person-{person.pk}")
    page.select_option("#id_session", str(session.pk))
    page.fill("#id_reason", "Повышение квалификации по должности")
    with page.expect_navigation():
        page.click("button[name=action][value=preview]")
    rows = page.locator("table.preview tbody tr")
    assert rows.count() == 5
    assert page.locator('tr[data-outcome="enrolled"]').count() == 3
    waitlisted = page.locator('tr[data-outcome="waitlisted"]')
    assert waitlisted.count() == 2
    assert "1" in waitlisted.nth(0).inner_text() and "2" in waitlisted.nth(1).inner_text()
    assert not Enrolment.objects.exists()  # the preview wrote nothing
    assert no_overflow(page) == 0

    with page.expect_navigation():
        page.click("button[name=action][value=confirm]")
    assert "/admin/nominations/?batch=" in page.url
    statuses = Counter_of(Enrolment.objects.filter(session=session))
    assert statuses == {EnrolmentStatus.ENROLLED: 3, EnrolmentStatus.WAITLISTED: 2}
    assert Nomination.objects.filter(nominated_by=officer).count() == 5
    listed = page.locator("table.nominations tbody tr")
    assert listed.count() == 5
    text = page.locator("table.nominations").inner_text()
    assert "1" in text and "2" in text
    assert page.locator('tr[data-status="waitlisted"]').count() == 2


def Counter_of(queryset):
    from collections import Counter

    return Counter(queryset.values_list("status", flat=True))
