"""The back-office screens: HR sees only their people; the preview shows outcomes; confirm
writes; withdrawal requests are decided."""

import pytest

from enrolments.models import Enrolment
from nominations import services
from nominations.models import Nomination, WithdrawalStatus
from tests.conftest import admin_in_english

pytestmark = pytest.mark.django_db

URL = "/admin/nominations/nominate/"


@pytest.fixture
def hr_client(client, hr_officer_a):
    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    return client


def test_hr_sees_only_the_people_of_their_state_body(hr_client, people_of_a, servant_of_b):
    page = hr_client.get(URL, {"category": "", "q": ""}).content.decode()
    assert people_of_a[0].full_name in page
    assert servant_of_b.full_name not in page


def test_a_civil_servant_may_not_open_it(client, people_of_a):
    client.force_login(people_of_a[0].user)
    response = client.get(URL)
    assert response.status_code in (302, 403)


def test_the_preview_shows_each_outcome_and_writes_nothing(
    hr_client, people_of_a, session_of_three
):
    data = {
        "servants": [p.pk for p in people_of_a],
        "session": session_of_three.pk,
        "reason": "Due",
        "action": "preview",
    }
    page = hr_client.post(URL, data).content.decode()
    assert page.count('data-outcome="enrolled"') == 3
    assert "Waiting list, place 1" in page and "Waiting list, place 2" in page
    assert "Seats left now: 3 of 3." in page
    assert not Enrolment.objects.exists()


def test_a_person_of_another_body_is_not_a_choice(hr_client, servant_of_b, session_of_three):
    data = {
        "servants": [servant_of_b.pk],
        "session": session_of_three.pk,
        "reason": "Due",
        "action": "confirm",
    }
    page = hr_client.post(URL, data).content.decode()
    assert "Select a valid choice" in page
    assert not Enrolment.objects.exists()


def test_confirm_writes_and_lists_the_group(hr_client, people_of_a, session_of_three):
    data = {
        "servants": [p.pk for p in people_of_a],
        "session": session_of_three.pk,
        "reason": "Due",
        "action": "confirm",
    }
    response = hr_client.post(URL, data, follow=True)
    page = response.content.decode()
    assert Nomination.objects.count() == 5
    assert "5 people nominated: 3 enrolled, 2 on the waiting list." in page
    assert "Place in the queue: 2" in page


def test_hr_decides_a_withdrawal_request(hr_client, hr_officer_a, people_of_a, session_of_three):
    plan = services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[:1], reason="Due"
    )
    request = services.withdrawal_request(
        nomination=plan.outcomes[0].nomination, actor=people_of_a[0].user, reason="Ill"
    )
    page = hr_client.get("/admin/nominations/").content.decode()
    assert "Ill" in page
    hr_client.post(
        "/admin/nominations/", {"request": request.pk, "decision": "reject", "reason": "No"}
    )
    request.refresh_from_db()
    assert request.status == WithdrawalStatus.REJECTED


def test_my_learning_shows_the_nomination_and_the_request_form(
    client, hr_officer_a, people_of_a, session_of_three, default_site
):
    services.nominations_create(
        actor=hr_officer_a, session=session_of_three, servants=people_of_a[:1], reason="Due"
    )
    client.force_login(people_of_a[0].user)
    page = client.get("/ru/my/").content.decode()
    assert "Выдвинут" in page or "выдвин" in page.lower()
    assert "/ru/my/nominations/" in page
    # No direct Withdraw button for the nominated enrolment.
    enrolment = Enrolment.objects.get()
    assert f"/ru/my/enrolments/{enrolment.pk}/withdraw/" not in page
