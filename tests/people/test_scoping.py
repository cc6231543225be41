"""An HR officer sees their own agencies' people and nobody else's — in every view."""

import pytest
from django.urls import reverse

from people.models import CivilServant, PerformanceRating
from people.scoping import agencies_visible_to, scope_queryset
from tests.factories import RatingFactory, ServantFactory, hr_officer_for


@pytest.mark.django_db
def test_hr_officer_lists_only_their_agencys_people(hr_officer_a, servant_of_a, servant_of_b):
    visible = scope_queryset(CivilServant.objects.all(), hr_officer_a)
    assert list(visible) == [servant_of_a]


@pytest.mark.django_db
def test_hr_officer_of_two_agencies_sees_both(agency_a, agency_b, servant_of_a, servant_of_b):
    user = hr_officer_for(agency_a, agency_b, username="hr-both")
    assert set(scope_queryset(CivilServant.objects.all(), user)) == {servant_of_a, servant_of_b}


@pytest.mark.django_db
def test_related_records_are_scoped_through_the_servant(hr_officer_a, servant_of_a, servant_of_b):
    RatingFactory(servant=servant_of_a)
    RatingFactory(servant=servant_of_b)
    visible = scope_queryset(PerformanceRating.objects.all(), hr_officer_a, servant_path="servant")
    assert [r.servant for r in visible] == [servant_of_a]


@pytest.mark.django_db
def test_a_civil_servant_sees_only_themselves(servant_of_a, servant_of_b):
    assert list(scope_queryset(CivilServant.objects.all(), servant_of_a.user)) == [servant_of_a]


@pytest.mark.django_db
def test_managers_and_auditors_see_everyone(academy_manager, auditor, servant_of_a, servant_of_b):
    for user in (academy_manager, auditor):
        assert scope_queryset(CivilServant.objects.all(), user).count() == 2
        assert agencies_visible_to(user).count() == 2


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(hr_officer_a, servant_of_a):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_queryset(CivilServant.objects.all(), AnonymousUser()).exists()
    hr_officer_a.is_active = False
    hr_officer_a.save()
    assert not scope_queryset(CivilServant.objects.all(), hr_officer_a).exists()


@pytest.mark.django_db
def test_admin_list_of_people_shows_only_own_agency(
    client, hr_officer_a, servant_of_a, servant_of_b
):
    client.force_login(hr_officer_a)
    response = client.get(reverse("servants:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert servant_of_a.iin in body
    assert servant_of_b.iin not in body
    assert servant_of_b.last_name not in body


@pytest.mark.django_db
def test_admin_urls_of_another_agencys_person_are_not_found(
    client, hr_officer_a, servant_of_a, servant_of_b
):
    client.force_login(hr_officer_a)
    for name in ("servants:edit", "servants:inspect", "servants:delete", "servants:history"):
        assert client.get(reverse(name, args=[servant_of_b.pk])).status_code == 404, name
    assert client.get(reverse("servants:edit", args=[servant_of_a.pk])).status_code == 200


@pytest.mark.django_db
def test_hr_officer_cannot_move_a_person_into_another_agency(
    client, hr_officer_a, servant_of_a, agency_b
):
    client.force_login(hr_officer_a)
    url = reverse("servants:edit", args=[servant_of_a.pk])
    response = client.post(
        url,
        {
            "iin": servant_of_a.iin,
            "last_name": servant_of_a.last_name,
            "first_name": servant_of_a.first_name,
            "preferred_language": "kk",
            "agency": agency_b.pk,
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    servant_of_a.refresh_from_db()
    assert servant_of_a.agency_id != agency_b.pk


@pytest.mark.django_db
def test_admin_search_does_not_leak_other_agencies(client, hr_officer_a, servant_of_b):
    client.force_login(hr_officer_a)
    response = client.get(reverse("servants:index"), {"q": servant_of_b.last_name})
    assert servant_of_b.iin not in response.content.decode()
    other = ServantFactory(agency=servant_of_b.agency, last_name="Тестов")
    response = client.get(reverse("servants:index"), {"q": "Тестов"})
    assert other.iin not in response.content.decode()


@pytest.mark.django_db
def test_site_wide_history_is_closed_to_agency_scoped_roles(
    client, hr_officer_a, auditor, servant_of_b
):
    from django.urls import reverse

    client.force_login(hr_officer_a)
    assert client.get("/admin/reports/site-history/").status_code in (302, 403)
    assert "site-history" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(auditor)
    assert client.get("/admin/reports/site-history/").status_code == 200
