"""send_approval_digest: one digest a day per approver listing the requests that wait, in
their language; never one e-mail per request, nothing twice the same day."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from enrolments.services import enrolment_request
from nominations.digest import approval_digests_send
from notifications.models import Kind, Notification
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory, hr_officer_for

from .conftest import set_admin_language


@pytest.fixture
def approval_session(today):
    programme = ProgrammeFactory(
        code="LEAD-A",
        title_kk="Көшбасшылық",
        title_ru="Лидерство",
        requires_approval=True,
    )
    return SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
    )


def waiting(session, servants):
    for servant in servants:
        enrolment_request(servant=servant, session=session, actor=servant.user)


@pytest.mark.django_db
def test_each_approver_gets_one_digest_of_all_their_waiting_requests(
    kazakh_servant,
    russian_servant,
    kazakh_hr,
    russian_hr,
    agency_b,
    approval_session,
    django_capture_on_commit_callbacks,
):
    waiting(approval_session, [kazakh_servant, russian_servant])
    other = hr_officer_for(agency_b, username="hr-b")  # nothing of theirs waits
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_approval_digest", stdout=io.StringIO())
    digests = Notification.objects.filter(kind=Kind.APPROVALS_WAITING)
    assert {n.user for n in digests} == {kazakh_hr, russian_hr}
    assert not digests.filter(user=other).exists()
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {kazakh_hr.email, russian_hr.email}
    assert to[kazakh_hr.email].subject == "Сіздің келісуіңізді 2 өтінім күтуде"
    assert to[russian_hr.email].subject == "2 заявки ожидают вашего согласования"
    body = to[russian_hr.email].body
    assert kazakh_servant.full_name in body and russian_servant.full_name in body
    assert "«Лидерство»" in body


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing(
    kazakh_servant, kazakh_hr, approval_session, today, django_capture_on_commit_callbacks
):
    waiting(approval_session, [kazakh_servant])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert approval_digests_send(today=today) == 1
        assert approval_digests_send(today=today) == 0
    assert len(mail.outbox) == 1
    # The next day the still-waiting request is in that day's digest.
    assert approval_digests_send(today=today + datetime.timedelta(days=1)) == 1


@pytest.mark.django_db
def test_the_academy_manager_gets_the_whole_region_and_servants_get_nothing(
    kazakh_servant, approval_session, academy_manager, agency_b, today
):
    stranger = ServantFactory(agency=agency_b)
    from tests.factories import UserFactory

    stranger.user = UserFactory(username="stranger")
    stranger.save()
    waiting(approval_session, [kazakh_servant, stranger])
    set_admin_language(academy_manager, "en")
    assert approval_digests_send(today=today) == 1
    digest = Notification.objects.get(kind=Kind.APPROVALS_WAITING)
    assert digest.user == academy_manager and digest.params["count"] == 2
    assert not Notification.objects.filter(servant__isnull=False, kind=Kind.APPROVALS_WAITING)
