"""send_expiry_notices: the servant and their HR officers are told of a qualification record
that expires within 90 days, once per record and expiry date."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enrolments.expiry import qualification_expiry_notify
from notifications.models import Kind, Notification

from .conftest import record_for


@pytest.mark.django_db
def test_the_servant_and_each_hr_officer_are_told_once_each_in_their_language(
    kazakh_servant, russian_servant, kazakh_hr, russian_hr, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=60)
    record_for(kazakh_servant, valid_until=soon)
    record_for(russian_servant, valid_until=today + datetime.timedelta(days=200))  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_expiry_notices", stdout=io.StringIO())
    assert Notification.objects.filter(kind=Kind.QUALIFICATION_EXPIRING).count() == 1
    assert Notification.objects.filter(kind=Kind.STAFF_QUALIFICATION_EXPIRING).count() == 2
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {kazakh_servant.email, kazakh_hr.email, russian_hr.email}
    date = soon.strftime("%d.%m.%Y")
    assert to[kazakh_servant.email].subject == (
        f"Біліктілігіңіздің мерзімі {date} аяқталады: Мемлекеттік қызмет этикасы"
    )
    assert to[kazakh_hr.email].subject == (
        f"Біліктілік мерзімі {date} аяқталады: {kazakh_servant.full_name}"
    )
    assert to[russian_hr.email].subject == (
        f"Срок квалификации истекает {date}: {kazakh_servant.full_name}"
    )
    assert "/admin/" in to[russian_hr.email].body


@pytest.mark.django_db
def test_running_it_again_sends_nothing_new(kazakh_servant, kazakh_hr, today):
    record_for(kazakh_servant, valid_until=today + datetime.timedelta(days=30))
    assert qualification_expiry_notify(as_of=today) == 2
    assert qualification_expiry_notify(as_of=today) == 0
    assert qualification_expiry_notify(as_of=today + datetime.timedelta(days=1)) == 0
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_a_corrected_expiry_date_is_told_again(kazakh_servant, today):
    record = record_for(kazakh_servant, valid_until=today + datetime.timedelta(days=30))
    assert qualification_expiry_notify(as_of=today) == 1
    record.valid_until = today + datetime.timedelta(days=80)
    record.save()
    assert qualification_expiry_notify(as_of=today) == 1


@pytest.mark.django_db
def test_superseded_and_already_expired_records_are_not_told(kazakh_servant, today):
    record_for(kazakh_servant, valid_until=today - datetime.timedelta(days=1))
    old = record_for(kazakh_servant, valid_until=today + datetime.timedelta(days=10))
    old.is_current = False
    old.save()
    assert qualification_expiry_notify(as_of=today) == 0
