"""The plan screen (HR) and the demand screen (the academy), as a browser would use them."""

import pytest

from plans import services
from plans.models import PlanLine, PlanStatus, TrainingPlan
from tests.conftest import admin_in_english

pytestmark = pytest.mark.django_db

URL = "/admin/plans/"


@pytest.fixture
def hr_client(client, hr_officer_a):
    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    return client


def test_hr_adds_a_line_and_submits_on_the_plan_screen(
    hr_client, agency_a, planning_year, ethics, two_of_a
):
    data = {
        "agency": agency_a.pk,
        "year": planning_year.year,
        "action": "save",
        "programme": ethics.pk,
        "quarter": 2,
        "people_count": 4,
        "servants": [two_of_a[0].pk],
    }
    assert hr_client.post(URL, data).status_code == 302
    hr_client.post(URL, {"agency": agency_a.pk, "year": planning_year.year, "action": "submit"})

    plan = TrainingPlan.objects.get(agency=agency_a, year=planning_year)
    assert plan.status == PlanStatus.SUBMITTED
    page = hr_client.get(URL, {"agency": agency_a.pk, "year": planning_year.year})
    text = page.content.decode()
    assert "ETHICS-36" in text and two_of_a[0].full_name in text and "Submitted on" in text


def test_hr_of_another_state_body_can_neither_see_nor_edit_the_plan(
    client, hr_officer_a, hr_officer_b, agency_a, planning_year, ethics, two_of_a
):
    services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=1,
        people_count=2,
        servants=two_of_a,
    )
    admin_in_english(hr_officer_b)
    client.force_login(hr_officer_b)
    assert client.get(URL, {"agency": agency_a.pk}).status_code == 404
    own = client.get(URL).content.decode()
    assert two_of_a[0].full_name not in own and "data-line=" not in own

    line = PlanLine.objects.get()
    data = {"agency": agency_a.pk, "year": planning_year.year, "line": line.pk}
    assert client.post(URL, data | {"action": "remove"}).status_code == 404
    assert PlanLine.objects.filter(pk=line.pk).exists()


def test_an_hr_edit_after_the_lock_shows_whom_to_ask(
    hr_client, hr_officer_a, academy_manager, agency_a, planning_year, ethics
):
    line = services.plan_line_add(
        actor=hr_officer_a,
        agency=agency_a,
        planning_year=planning_year,
        programme=ethics,
        quarter=1,
        people_count=2,
    )
    services.plan_year_lock(actor=academy_manager, planning_year=planning_year)
    data = {"agency": agency_a.pk, "year": planning_year.year, "line": line.pk}
    page = hr_client.post(URL, data | {"action": "remove"}, follow=True).content.decode()
    assert "locked" in page and "academy branch on your request" in page
    assert PlanLine.objects.filter(pk=line.pk).exists()


def test_the_demand_page_is_the_academys(hr_client, planning_year):
    assert hr_client.get("/admin/plans/demand/").status_code in (302, 403)


def test_a_mistyped_year_in_the_address_opens_the_plans_instead_of_failing(
    client, hr_client, academy_manager, planning_year
):
    page = hr_client.get(URL, {"year": "20x7"})
    assert page.status_code == 200 and str(planning_year.year) in page.content.decode()
    admin_in_english(academy_manager)
    client.force_login(academy_manager)
    assert client.get("/admin/plans/demand/", {"year": "abc"}).status_code == 200
    sessions = client.get("/admin/plans/demand/sessions/", {"year": "abc", "quarter": 1})
    assert sessions.status_code == 404
    assert client.post("/admin/plans/demand/", {"action": "lock", "year": "x"}).status_code == 404
