"""My learning's latest notifications and /<lang>/my/notifications/: only one's own, the unread
ones marked, and "mark as read" touches only one's own."""

import pytest

from notifications.models import Kind, Notification
from notifications.services import notify


def expiring(servant, n: int, *, valid_until="2027-03-01"):
    return notify(
        servant=servant,
        kind=Kind.QUALIFICATION_EXPIRING,
        key=f"qualification_expiring:{n}:{valid_until}",
        params={"title": {"kk": f"Курс {n}", "ru": f"Курс {n}"}, "valid_until": valid_until},
        link="/{lang}/my/",
    )[0]


@pytest.mark.django_db
def test_my_learning_shows_my_latest_notifications_with_the_unread_ones_marked(
    client, kazakh_servant, russian_servant
):
    mine = expiring(kazakh_servant, 1)
    expiring(russian_servant, 2)
    client.force_login(kazakh_servant.user)
    html = client.get("/ru/my/").content.decode()
    assert "Уведомления" in html
    assert f'data-notification="{mine.pk}"' in html
    assert "notification unread" in html
    assert "Срок вашей квалификации истекает 01.03.2027: Курс 1" in html
    assert "Курс 2" not in html  # somebody else's
    assert 'href="/ru/my/notifications/"' in html


@pytest.mark.django_db
def test_the_list_shows_only_my_own_in_my_language(client, kazakh_servant, russian_servant):
    expiring(kazakh_servant, 1)
    theirs = expiring(russian_servant, 2)
    client.force_login(kazakh_servant.user)
    html = client.get("/kk/my/notifications/").content.decode()
    assert "Біліктілігіңіздің мерзімі 01.03.2027 аяқталады: Курс 1" in html
    assert "Курс 2" not in html and f'data-notification="{theirs.pk}"' not in html


@pytest.mark.django_db
def test_marking_read_changes_only_my_own(client, kazakh_servant, russian_servant):
    mine = expiring(kazakh_servant, 1)
    theirs = expiring(russian_servant, 2)
    client.force_login(kazakh_servant.user)
    response = client.post(f"/kk/my/notifications/{mine.pk}/read/", {"next": "/kk/my/"})
    assert response.status_code == 302 and response["Location"] == "/kk/my/"
    client.post(f"/kk/my/notifications/{theirs.pk}/read/")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    html = client.get("/kk/my/").content.decode()
    assert "notification unread" not in html


@pytest.mark.django_db
def test_mark_all_read_leaves_other_peoples_unread(client, kazakh_servant, russian_servant):
    expiring(kazakh_servant, 1)
    expiring(kazakh_servant, 2)
    theirs = expiring(russian_servant, 3)
    client.force_login(kazakh_servant.user)
    client.post("/kk/my/notifications/read/")
    assert not Notification.objects.filter(servant=kazakh_servant, read_at__isnull=True)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_a_next_address_off_the_site_is_not_followed(client, kazakh_servant):
    mine = expiring(kazakh_servant, 1)
    client.force_login(kazakh_servant.user)
    response = client.post(
        f"/kk/my/notifications/{mine.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/kk/my/notifications/"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/kk/my/notifications/")
    assert response.status_code == 302 and "/login/" in response["Location"]
