"""You were nominated: one notification per nominated person, e-mailed in their language."""

import pytest
from django.core import mail

from nominations.services import nominations_create
from notifications.models import Kind, Notification


@pytest.mark.django_db
def test_each_nominated_person_is_told_once_in_their_language(
    kazakh_servant, russian_servant, hr_officer_a, open_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nominations_create(
            actor=hr_officer_a,
            session=open_session,
            servants=[kazakh_servant, russian_servant],
            reason="Біліктілікті арттыру мерзімі келді",
        )
    assert Notification.objects.filter(kind=Kind.NOMINATED).count() == 2
    kazakh = next(m for m in mail.outbox if m.to == [kazakh_servant.email])
    russian = next(m for m in mail.outbox if m.to == [russian_servant.email])
    assert len(mail.outbox) == 2
    assert kazakh.subject == "Сіз оқуға жіберілдіңіз: Сыбайлас жемқорлыққа қарсы іс-қимыл"
    assert russian.subject == "Вас направили на обучение: Противодействие коррупции"
    # Capacity 1: the second is waitlisted, and told their place.
    assert "1" in russian.body and "лист" in russian.body.lower()
    assert "Біліктілікті арттыру мерзімі келді" in kazakh.body
