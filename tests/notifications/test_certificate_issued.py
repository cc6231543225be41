"""Your certificate is issued: told once, with the link to download it and to verify it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from certificates.services import certificate_issue
from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from notifications.models import Kind, Notification
from tests.factories import SessionFactory


def completion(servant, programme, manager):
    today = timezone.localdate()
    session = SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=6),
    )
    enrolment = Enrolment.objects.create(
        servant=servant, session=session, status="enrolled", requested_at=timezone.now()
    )
    enrolment_record_result(enrolment=enrolment, attended_hours=40, passed=True, actor=manager)
    return enrolment.qualification_records.get()


@pytest.mark.django_db
def test_the_holder_is_told_once_with_the_links_in_their_language(
    kazakh_servant,
    russian_servant,
    programme,
    academy_manager,
    django_capture_on_commit_callbacks,
):
    records = [completion(s, programme, academy_manager) for s in (kazakh_servant, russian_servant)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificates = [certificate_issue(record=r, actor=academy_manager) for r in records]
        # Issuing again returns the same certificate and tells nobody again.
        certificate_issue(record=records[0], actor=academy_manager)
    assert Notification.objects.filter(kind=Kind.CERTIFICATE_ISSUED).count() == 2
    kazakh, russian = mail.outbox
    assert kazakh.to == [kazakh_servant.email] and russian.to == [russian_servant.email]
    assert kazakh.subject == "Сертификатыңыз берілді: Сыбайлас жемқорлыққа қарсы іс-қимыл"
    assert russian.subject == "Ваш сертификат выдан: Противодействие коррупции"
    assert f"/ru/my/certificates/{certificates[1].pk}.pdf" in russian.body
    assert certificates[1].verify_url in russian.body
    assert certificates[0].serial in kazakh.body
