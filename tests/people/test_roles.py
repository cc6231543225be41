"""Each role logs into the back office and sees only its part of the menu."""

import pytest
from django.urls import reverse

from core import authorization as roles
from tests.factories import UserFactory


def menu_urls(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_four_role_groups_exist_after_migrate():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names


@pytest.mark.django_db
def test_civil_servant_cannot_enter_the_back_office(client, servant_of_a):
    client.force_login(servant_of_a.user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_academy_manager_sees_programmes_but_not_ratings_or_audit(client, academy_manager):
    client.force_login(academy_manager)
    html = menu_urls(client)
    assert "/admin/snippets/courses/programme/" in html
    assert "/admin/snippets/courses/session/" in html
    assert "/admin/ratings/" not in html
    assert "/admin/audit_trail/" not in html
    assert "/admin/hr_officers/" not in html
    assert client.get(reverse("ratings:index")).status_code in (302, 403)


@pytest.mark.django_db
def test_hr_officer_sees_people_and_ratings_but_cannot_edit_programmes(client, hr_officer_a):
    client.force_login(hr_officer_a)
    html = menu_urls(client)
    assert "/admin/servants/" in html
    assert "/admin/ratings/" in html
    assert "/admin/audit_trail/" not in html
    assert client.get(reverse("wagtailsnippets_courses_programme:add")).status_code in (302, 403)


@pytest.mark.django_db
def test_auditor_reads_everything_and_changes_nothing(client, auditor, servant_of_a):
    client.force_login(auditor)
    html = menu_urls(client)
    assert "/admin/audit_trail/" in html
    assert "/admin/servants/" in html
    assert client.get(reverse("servants:index")).status_code == 200
    assert client.get(reverse("servants:edit", args=[servant_of_a.pk])).status_code in (302, 403)
    assert client.get(reverse("servants:add")).status_code in (302, 403)
    assert client.get(reverse("wagtailsnippets_courses_programme:add")).status_code in (302, 403)


@pytest.mark.django_db
def test_user_without_a_role_cannot_enter(client):
    user = UserFactory(username="nobody")
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
