"""Approvals: several requests approved at once, each through the same service, and a count of
what waits in the menu and on the page."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from wagtail.users.models import UserProfile

from core.authorization import CIVIL_SERVANTS
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services import enrolment_request
from tests.factories import ProgrammeFactory, SessionFactory, UserFactory


@pytest.fixture
def approval_session(db):
    return SessionFactory(programme=ProgrammeFactory(requires_approval=True), capacity=5)


def request(servant, session):
    return enrolment_request(servant=servant, session=session, actor=servant.user)


def follow_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_hr_approves_several_requests_and_is_told_what_happened_to_each(
    client, approval_session, make_servant, servant_of_b, hr_officer_a
):
    mine = [request(make_servant(last_name=f"Мой{i}"), approval_session) for i in range(3)]
    servant_of_b.user = UserFactory(username="b", role=CIVIL_SERVANTS)
    servant_of_b.save()
    theirs = request(servant_of_b, approval_session)
    # One of mine is decided meanwhile (e.g. by a manager in another tab).
    Enrolment.objects.filter(pk=mine[2].pk).update(status=EnrolmentStatus.REJECTED)
    from tests.conftest import admin_in_english

    client.force_login(admin_in_english(hr_officer_a))
    response = client.post(
        reverse("enrolments_approvals"),
        {
            "decision": "approve_selected",
            "enrolments": [mine[0].pk, mine[1].pk, mine[2].pk, theirs.pk],
        },
        follow=True,
    )
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses[mine[0].pk] == statuses[mine[1].pk] == EnrolmentStatus.ENROLLED
    assert statuses[mine[2].pk] == EnrolmentStatus.REJECTED
    assert statuses[theirs.pk] == EnrolmentStatus.PENDING_APPROVAL  # not HR A's to decide
    text = follow_messages(response)
    assert "Approved 2 requests" in text and "Мой0" in text and "Мой1" in text
    assert "2 requests were not approved" in text
    assert f"no. {mine[2].pk}" in text and f"no. {theirs.pk}" in text
    # Each approval went through the service: its history entry names the officer.
    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.filter(action="enrolments.enrolment.approved")
    assert entries.count() == 2 and {e.user_id for e in entries} == {hr_officer_a.pk}


@pytest.mark.django_db
def test_bulk_approve_with_nothing_selected_changes_nothing(
    client, approval_session, make_servant, hr_officer_a
):
    waiting = request(make_servant(), approval_session)
    client.force_login(hr_officer_a)
    client.post(reverse("enrolments_approvals"), {"decision": "approve_selected"})
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.PENDING_APPROVAL


def menu_label(html: str) -> str:
    """The approvals item's label in the sidebar's JSON props."""
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    match = re.search(r'"name": "approvals", "label": ("(?:[^"\\]|\\.)*")', props)
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_the_menu_and_the_page_count_the_requests_waiting_for_this_user(
    client, approval_session, make_servant, servant_of_b, hr_officer_a
):
    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    assert menu_label(client.get(reverse("wagtailadmin_home")).content.decode()) == "Approvals"
    for i in range(2):
        request(make_servant(last_name=f"Мой{i}"), approval_session)
    servant_of_b.user = UserFactory(username="b", role=CIVIL_SERVANTS)
    servant_of_b.save()
    request(servant_of_b, approval_session)  # another state body's: not counted for HR A
    assert menu_label(client.get(reverse("wagtailadmin_home")).content.decode()) == (
        "Approvals (2)"
    )
    page = client.get(reverse("enrolments_approvals")).content.decode()
    assert "<strong>2</strong> requests await a decision" in page
    # The reason field has a visible label tied to it (not a cut-off placeholder).
    assert re.search(r'<label class="bk-approvals__reason-label" for="reason-\d+">', page)


@pytest.mark.django_db
def test_the_queue_narrowed_to_a_session_lists_only_that_sessions_requests(
    client, approval_session, make_servant, academy_manager
):
    from tests.conftest import admin_in_english

    other = SessionFactory(programme=ProgrammeFactory(requires_approval=True), capacity=5)
    here = [request(make_servant(last_name=f"Осында{i}"), approval_session) for i in range(2)]
    elsewhere = request(make_servant(last_name="Басқада"), other)
    client.force_login(admin_in_english(academy_manager))
    url = f"{reverse('enrolments_approvals')}?session={approval_session.pk}"
    page = client.get(url).content.decode()
    listed = {int(pk) for pk in re.findall(r'data-enrolment="(\d+)"', page)}
    assert listed == {e.pk for e in here}
    assert "Басқада" not in page
    with translation.override("en"):  # as an English reader writes dates: "Dec. 21, 2026"
        starts = date_format(approval_session.starts_on, "DATE_FORMAT")
        title = approval_session.programme.title
    assert f"Only the requests for {title} from {starts}." in page
    assert f'href="{reverse("enrolments_approvals")}">Show all requests</a>' in page

    # Deciding one keeps the queue narrowed; a request of another session is not found here.
    response = client.post(url, {"enrolment": here[0].pk, "decision": "approve"})
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(url, {"enrolment": elsewhere.pk, "decision": "approve"})
    assert response.status_code == 404

    # The whole queue: both sessions, no narrowing line.
    page = client.get(reverse("enrolments_approvals")).content.decode()
    listed = {int(pk) for pk in re.findall(r'data-enrolment="(\d+)"', page)}
    assert listed == {here[1].pk, elsewhere.pk}
    assert "Only the requests for" not in page

    # A Russian reader: the line and its date in Russian ("… (начало: 21 декабря 2026 г.).").
    profile = UserProfile.get_for_user(academy_manager)
    profile.preferred_language = "ru"
    profile.save()
    page = client.get(url).content.decode()
    with translation.override("ru"):
        starts = date_format(approval_session.starts_on, "DATE_FORMAT")
        title = approval_session.programme.title
    assert f"Показаны только заявки в учебную группу «{title}» (начало: {starts})." in page
    assert starts.endswith(" г.") and "Показать все заявки" in page
