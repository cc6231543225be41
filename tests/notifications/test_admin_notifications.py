"""The back office's Notifications panel on the admin home and its list: only the login's own."""

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from notifications.services import notify
from tests.factories import hr_officer_for

from .conftest import set_admin_language


def digest(user, day="2026-12-01", count=2):
    return notify(
        user=user,
        kind=Kind.APPROVALS_WAITING,
        key=f"approvals_waiting:{day}",
        params={"count": count, "items": []},
        link=reverse("enrolments_approvals"),
    )[0]


@pytest.mark.django_db
def test_the_admin_home_shows_my_notifications_in_my_language(client, russian_hr, kazakh_hr):
    mine = digest(russian_hr)
    theirs = digest(kazakh_hr, count=7)
    client.force_login(russian_hr)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="home-notifications-section"' in html
    assert "2 заявки ожидают вашего согласования" in html
    assert f'data-notification="{mine.pk}"' in html
    assert f'data-notification="{theirs.pk}"' not in html
    assert "7 заявок" not in html


@pytest.mark.django_db
def test_the_admin_list_shows_only_mine_and_marks_mine_read(client, kazakh_hr, agency_b):
    other = set_admin_language(hr_officer_for(agency_b, username="hr-b"), "kk")
    mine = digest(kazakh_hr)
    theirs = digest(other, count=5)
    client.force_login(kazakh_hr)
    html = client.get(reverse("notifications_admin")).content.decode()
    assert "Сіздің келісуіңізді 2 өтінім күтуде" in html
    assert f'data-notification="{theirs.pk}"' not in html
    client.post(reverse("notifications_admin_read", args=[theirs.pk]))
    client.post(reverse("notifications_admin_read", args=[mine.pk]))
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.django_db
def test_a_civil_servant_cannot_open_the_admin_list(client, kazakh_servant):
    client.force_login(kazakh_servant.user)
    response = client.get(reverse("notifications_admin"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
