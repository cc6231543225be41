"""Issue 16's "done when" for plans, in a real Chromium: an HR officer adds a line to their
state body's plan and submits it; the academy manager sees the demand and creates sessions
from it in one step."""

import datetime

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from courses.models import Session
from plans.models import PlanningYear, PlanStatus, TrainingPlan
from tests.browser import log_in, no_overflow
from tests.factories import AgencyFactory, ProgrammeFactory, UserFactory, hr_officer_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def test_hr_submits_a_plan_and_the_academy_creates_sessions_from_its_demand(
    live_server, default_site, tab
):
    from core import authorization as roles

    today = timezone.localdate()
    year = PlanningYear.objects.create(
        year=today.year + 1, submission_deadline=today + datetime.timedelta(days=30)
    )
    agency = AgencyFactory(code="akimat-plan", name_ru="Акимат План", name_kk="План әкімдігі")
    officer = _language(hr_officer_for(agency, username="hr-plan"), "ru")
    manager = _language(UserFactory(username="manager-plan", role=roles.ACADEMY_MANAGERS), "kk")
    programme = ProgrammeFactory(code="PLAN-ETHICS", academic_hours=36)

    page = tab(locale="ru-RU", width=390)
    log_in(page, live_server.url, "/admin/login/", officer.username)
    page.goto(f"{live_server.url}/admin/plans/")
    page.select_option("#id_programme", str(programme.pk))
    page.select_option("#id_quarter", "2")
    page.fill("#id_people_count", "7")
    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    assert page.locator("table.plan-lines tbody tr").count() == 1
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert TrainingPlan.objects.get(agency=agency, year=year).status == PlanStatus.SUBMITTED
    assert no_overflow(page) == 0

    page = tab(locale="kk-KZ", width=1366)
    log_in(page, live_server.url, "/admin/login/", manager.username)
    page.goto(f"{live_server.url}/admin/plans/demand/?year={year.year}")
    row = page.locator("table.demand tbody tr")
    assert row.count() == 1
    assert "PLAN-ETHICS" in row.inner_text() and "7" in row.inner_text()
    with page.expect_navigation():
        row.locator("a.button").click()
    assert page.input_value("#id_capacity") == "7"
    page.fill("#id_count", "2")
    page.fill("#id_first_starts_on", f"{year.year}-04-06")
    page.fill("#id_days", "3")
    page.fill("#id_every_days", "28")
    page.fill("#id_capacity", "4")
    with page.expect_navigation():
        page.click("form.sessions-form button[type=submit]")
    sessions = list(Session.objects.filter(programme=programme).order_by("starts_on"))
    assert [(s.starts_on, s.ends_on, s.capacity) for s in sessions] == [
        (datetime.date(year.year, 4, 6), datetime.date(year.year, 4, 8), 4),
        (datetime.date(year.year, 5, 4), datetime.date(year.year, 5, 6), 4),
    ]
