"""send_assignment_reminders: the person and their HR officers are told that mandatory training
is due within 14 days, and again when it is overdue: each once per assignment, in the
recipient's language."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from nominations.models import Assignment
from nominations.services import assignment_reminders_send
from notifications.models import Kind, Notification

from .conftest import record_for


def assignment(servant, *, due_on, today, programme=None, hours=None):
    return Assignment.objects.create(
        servant=servant,
        programme=programme,
        hours=hours,
        due_on=due_on,
        assigned_on=today - datetime.timedelta(days=30),
        reason="Талап",
    )


@pytest.mark.django_db
def test_due_and_overdue_reminders_reach_each_person_and_hr_once_in_their_language(
    kazakh_servant,
    russian_servant,
    kazakh_hr,
    russian_hr,
    programme,
    today,
    django_capture_on_commit_callbacks,
):
    soon = today + datetime.timedelta(days=10)
    late = today - datetime.timedelta(days=3)
    assignment(kazakh_servant, due_on=soon, today=today, programme=programme)
    assignment(russian_servant, due_on=late, today=today, hours=16)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_assignment_reminders", stdout=io.StringIO())
        call_command("send_assignment_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(kind=Kind.ASSIGNMENT_REMINDER).count() == 2
    assert Notification.objects.filter(kind=Kind.STAFF_ASSIGNMENT_REMINDER).count() == 4
    subjects = {(m.to[0], m.subject) for m in mail.outbox}
    assert len(mail.outbox) == 6
    day, past = soon.strftime("%d.%m.%Y"), late.strftime("%d.%m.%Y")
    assert (
        kazakh_servant.email,
        f"Міндетті оқуды {day} дейін аяқтау керек: Сыбайлас жемқорлыққа қарсы іс-қимыл (ANTICOR-N)",
    ) in subjects
    assert (
        russian_servant.email,
        "Срок вашего обязательного обучения истёк: Повышение квалификации не менее 16 "
        "академических часов",
    ) in subjects
    assert (
        kazakh_hr.email,
        f"Міндетті оқудың мерзімі өтті: {russian_servant.full_name}",
    ) in subjects
    assert (
        russian_hr.email,
        f"Обязательное обучение до {day}: {kazakh_servant.full_name}",
    ) in subjects
    russian_mail = next(m for m in mail.outbox if m.to == [russian_servant.email])
    assert f"до {past}" in russian_mail.body


@pytest.mark.django_db
def test_a_due_assignment_is_told_again_once_when_it_becomes_overdue(
    kazakh_servant, kazakh_hr, today
):
    due = today + datetime.timedelta(days=5)
    assignment(kazakh_servant, due_on=due, today=today, hours=16)
    assert assignment_reminders_send(today=today) == 2
    assert assignment_reminders_send(today=today + datetime.timedelta(days=1)) == 0
    later = due + datetime.timedelta(days=1)
    assert assignment_reminders_send(today=later) == 2
    assert assignment_reminders_send(today=later) == 0
    assert set(Notification.objects.values_list("key", flat=True)) == {
        f"assignment_due:{Assignment.objects.get().pk}",
        f"assignment_overdue:{Assignment.objects.get().pk}",
    }


@pytest.mark.django_db
def test_completed_cancelled_and_distant_assignments_are_not_reminded(
    kazakh_servant, russian_servant, today
):
    done = assignment(
        kazakh_servant, due_on=today - datetime.timedelta(days=1), today=today, hours=16
    )
    record_for(kazakh_servant, valid_until=today, completed_on=today - datetime.timedelta(days=2))
    cancelled = assignment(russian_servant, due_on=today, today=today, hours=8)
    Assignment.objects.filter(pk=cancelled.pk).update(
        cancelled_at=datetime.datetime.now(datetime.UTC)
    )
    assignment(russian_servant, due_on=today + datetime.timedelta(days=40), today=today, hours=8)
    assert assignment_reminders_send(today=today) == 0
    assert done.pk
