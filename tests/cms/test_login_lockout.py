"""Brute force (issue 12, item 6): both login pages lock a username after 5 failures from one
client, with a message in the user's language; password-reset e-mails are throttled per
address and per client. Real requests through the login forms, axes enabled."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache

from tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"
LOGIN_PAGES = {
    "public": ("/ru/accounts/login/", "Слишком много неудачных попыток"),
    "admin": ("/admin/login/", "Слишком много неудачных попыток"),
}


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", email="officer@example.kz", is_staff=True)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _post(client, url, password, address="10.0.0.1"):
    return client.post(
        url,
        {"username": "officer", "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="ru",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(LOGIN_PAGES))
def test_five_wrong_passwords_lock_the_account_for_that_client(client, officer, page):
    url, message = LOGIN_PAGES[page]
    for _ in range(4):
        assert _post(client, url, "wrong").status_code == 200
    response = _post(client, url, "wrong")  # the fifth failure locks
    assert response.status_code == 429
    response = _post(client, url, PASSWORD)  # even the right password now
    body = response.content.decode()
    assert response.status_code == 429
    assert message in body and "15" in body  # the page itself, in Russian, with the minutes
    assert 'name="password"' in body  # the login form, not a bare error text
    assert not _logged_in(client)
    # Another client address is not locked out of the same account.
    assert _post(client, url, PASSWORD, address="10.0.0.2").status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(LOGIN_PAGES))
def test_the_lock_ends_after_the_cool_off(client, officer, page):
    url, _message = LOGIN_PAGES[page]
    for _ in range(5):
        _post(client, url, "wrong")
    assert _post(client, url, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert _post(client, url, PASSWORD).status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, officer):
    url = LOGIN_PAGES["admin"][0]
    for _round in range(3):
        for _ in range(4):
            _post(client, url, "wrong")
        assert _post(client, url, PASSWORD).status_code == 302
        client.logout()


@pytest.mark.django_db
def test_the_api_token_keeps_working_with_axes(client, officer):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=officer)
    response = client.get("/api/v1/servants/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (200, 403)  # authenticated; scoping decides the rest
    assert client.get("/api/v1/servants/").status_code in (401, 403)
    response = client.get("/api/v1/servants/", HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401


RESET = "/admin/password_reset/"


@pytest.mark.django_db
def test_twenty_reset_requests_for_one_address_send_three_emails(client, officer, mailoutbox):
    answers = set()
    for _ in range(20):
        response = client.post(RESET, {"email": "Officer@example.kz"}, REMOTE_ADDR="10.0.0.1")
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, "/admin/password_reset/done/")}  # the same neutral answer
    assert len(mailoutbox) == 3
    # Coming from other addresses does not get around the per-address limit.
    client.post(RESET, {"email": "officer@example.kz"}, REMOTE_ADDR="10.9.9.9")
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_one_client_gets_ten_reset_emails_an_hour(client, mailoutbox):
    for n in range(20):
        UserFactory(username=f"user-{n}", email=f"user-{n}@example.kz")
        response = client.post(RESET, {"email": f"user-{n}@example.kz"}, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 302
    assert len(mailoutbox) == 10
