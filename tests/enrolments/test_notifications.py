import pytest

from enrolments.services import enrolment_request, enrolment_withdraw, session_cancel


@pytest.mark.django_db
def test_emails_go_after_commit_in_the_servants_language(
    open_session, make_servant, mailoutbox, django_capture_on_commit_callbacks
):
    kazakh = make_servant(preferred_language="kk", email="kk@example.kz")
    russian = make_servant(preferred_language="ru", email="ru@example.kz")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrolment_request(servant=kazakh, session=open_session, actor=kazakh.user)
    assert mailoutbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_request(servant=russian, session=open_session, actor=russian.user)
    kk_mail, ru_mail = mailoutbox
    assert kk_mail.to == ["kk@example.kz"] and ru_mail.to == ["ru@example.kz"]
    assert open_session.programme.title_kk in kk_mail.subject
    assert open_session.programme.title_ru in ru_mail.subject
    assert "Вы зачислены" in ru_mail.subject or "зачислен" in ru_mail.body.lower()
    assert kk_mail.extra_headers["Content-Language"] == "kk"


@pytest.mark.django_db
def test_waitlist_promotion_and_cancellation_are_announced(
    open_session, make_servant, mailoutbox, django_capture_on_commit_callbacks, academy_manager
):
    servants = [make_servant(preferred_language="en") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        enrolments = [
            enrolment_request(servant=s, session=open_session, actor=s.user) for s in servants
        ]
    assert "waiting list" in mailoutbox[2].subject
    assert "number 1 on the waiting list" in mailoutbox[2].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_withdraw(enrolment=enrolments[0], actor=servants[0].user)
    assert [m.to for m in mailoutbox] == [[servants[2].email]]
    assert "A seat is yours" in mailoutbox[0].subject
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=open_session, actor=academy_manager, reason="Lecturer ill")
    assert len(mailoutbox) == 2
    assert all("cancelled" in m.subject and "Lecturer ill" in m.body for m in mailoutbox)
