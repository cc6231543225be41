"""notifications.services.notify and the e-mail task: once per recipient and event, e-mailed
once, in the recipient's language, after commit."""

import pytest
from django.core import mail
from django.db import connection

from notifications.models import Kind, Notification
from notifications.services import notify
from notifications.tasks import send_notification_email

PARAMS = {
    "title": {"kk": "Мемлекеттік қызмет этикасы", "ru": "Этика государственной службы"},
    "valid_until": "2027-03-01",
}


def tell(servant=None, user=None, key="qualification_expiring:1:2027-03-01"):
    return notify(
        servant=servant,
        user=user,
        kind=Kind.QUALIFICATION_EXPIRING,
        key=key,
        params=PARAMS,
        link="/{lang}/my/",
    )


@pytest.mark.django_db
def test_the_same_event_told_twice_makes_one_notification_and_one_email(
    kazakh_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = tell(kazakh_servant)
        again, created_again = tell(kazakh_servant)
    assert created and not created_again and first.pk == again.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_each_servant_reads_the_email_in_their_own_language(
    kazakh_servant, russian_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(kazakh_servant)
        tell(russian_servant)
    kazakh = next(m for m in mail.outbox if m.to == [kazakh_servant.email])
    russian = next(m for m in mail.outbox if m.to == [russian_servant.email])
    assert kazakh.subject == (
        "Біліктілігіңіздің мерзімі 01.03.2027 аяқталады: Мемлекеттік қызмет этикасы"
    )
    assert russian.subject == (
        "Срок вашей квалификации истекает 01.03.2027: Этика государственной службы"
    )
    assert kazakh.body.startswith("Сәлеметсіз бе, Әйгерім Серікқызы!")
    assert russian.body.startswith("Здравствуйте, Иван Сергеевич!")
    assert "/kk/my/" in kazakh.body and "/ru/my/" in russian.body
    assert kazakh.extra_headers["Content-Language"] == "kk"
    assert russian.extra_headers["Content-Language"] == "ru"


@pytest.mark.django_db
def test_a_back_office_user_reads_it_in_the_language_of_their_admin_profile(
    russian_hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(user=russian_hr)
    (message,) = mail.outbox
    assert message.to == [russian_hr.email]
    assert message.subject.startswith("Срок вашей квалификации истекает")


@pytest.mark.django_db
def test_nothing_is_emailed_before_the_transaction_commits(
    kazakh_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(kazakh_servant)
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_is_retried_and_the_retry_sends_it_once(kazakh_servant, settings):
    notification, _ = tell(kazakh_servant)
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.failing.FailingBackend"}}
    with pytest.raises(ConnectionError):
        send_notification_email.call(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None  # the claim was released: not sent
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_notification_email.call(notification.pk) is True
    assert send_notification_email.call(notification.pk) is False  # a duplicate retry
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_servant_without_an_address_still_sees_it_in_the_app(
    kazakh_servant, django_capture_on_commit_callbacks
):
    kazakh_servant.email = ""
    kazakh_servant.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification, created = tell(kazakh_servant)
    assert created and mail.outbox == []
    assert Notification.objects.filter(servant=kazakh_servant).exists()


@pytest.mark.django_db
def test_the_notification_keeps_values_and_is_worded_when_read(kazakh_servant):
    from django.utils import translation

    notification, _ = tell(kazakh_servant)
    assert notification.params == PARAMS
    with translation.override("ru"):
        assert notification.headline().startswith("Срок вашей квалификации истекает 01.03.2027")
    with translation.override("kk"):
        assert notification.headline().startswith("Біліктілігіңіздің мерзімі 01.03.2027")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_five_processes_telling_the_same_event_at_once_make_one_notification(kazakh_servant):
    from tests.enrolments.test_concurrency import run_at_once

    def worker(_):
        from people.models import CivilServant

        return tell(CivilServant.objects.get(pk=kazakh_servant.pk))[1]

    created, errors = run_at_once(worker, range(5))
    assert errors == []
    assert sorted(created) == [False, False, False, False, True]
    assert Notification.objects.count() == 1
