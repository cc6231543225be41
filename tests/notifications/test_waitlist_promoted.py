"""You moved up from the waiting list: told once, in the servant's language."""

import pytest
from django.core import mail

from enrolments.services import enrolment_request, enrolment_withdraw
from notifications.models import Kind, Notification


@pytest.mark.django_db
def test_the_person_moved_up_is_told_once_in_their_language(
    kazakh_servant, russian_servant, open_session, django_capture_on_commit_callbacks
):
    # Capacity 1: the Russian-speaking servant waits behind the Kazakh-speaking one.
    with django_capture_on_commit_callbacks(execute=True):
        first = enrolment_request(
            servant=kazakh_servant, session=open_session, actor=kazakh_servant.user
        )
        enrolment_request(servant=russian_servant, session=open_session, actor=russian_servant.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_withdraw(enrolment=first, actor=kazakh_servant.user)
    promoted = Notification.objects.filter(kind=Kind.WAITLIST_PROMOTED)
    assert [n.servant for n in promoted] == [russian_servant]
    (message,) = [m for m in mail.outbox if m.to == [russian_servant.email]]
    assert message.subject == "Для вас освободилось место: Противодействие коррупции"
    # One e-mail for the event, not the enrolment e-mail as well.
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_kazakh_speaker_moved_up_reads_it_in_kazakh(
    kazakh_servant, russian_servant, open_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = enrolment_request(
            servant=russian_servant, session=open_session, actor=russian_servant.user
        )
        enrolment_request(servant=kazakh_servant, session=open_session, actor=kazakh_servant.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_withdraw(enrolment=first, actor=russian_servant.user)
    (message,) = mail.outbox
    assert message.to == [kazakh_servant.email]
    assert message.subject == "Сізге орын бөлінді: Сыбайлас жемқорлыққа қарсы іс-қимыл"
