"""The academy manages the public site: a manager adds and publishes a news item in the Pages
explorer; HR officers, auditors and civil servants have no pages to edit."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from cms import roles
from cms.models import HomePage, NewsIndexPage, NewsPage


@pytest.fixture
def news_index(db):
    roles.roles_sync()
    locale, _ = Locale.objects.get_or_create(language_code="kk")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Басты бет", slug="home-test", locale=locale))
    return home.add_child(instance=NewsIndexPage(title="Жаңалықтар", slug="news", locale=locale))


@pytest.mark.django_db
def test_a_manager_adds_and_publishes_a_news_item(client, academy_manager, news_index):
    client.force_login(academy_manager)
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 200
    assert (
        reverse("wagtailadmin_explore_root")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    add = reverse("wagtailadmin_pages:add", args=("cms", "newspage", news_index.pk))
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "title": "Жаңа курстар",
            "slug": "new-courses",
            "date": "2026-12-01",
            "intro": "Қысқа мәтін",
            "body": '{"blocks": [], "entityMap": {}}',
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="new-courses")
    assert page.live and page.get_parent().pk == news_index.pk


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hr_officer_a", "auditor"])
def test_other_staff_roles_edit_no_pages(client, request, who, news_index):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("wagtailadmin_explore_root")).status_code in (302, 403)
    add = reverse("wagtailadmin_pages:add", args=("cms", "newspage", news_index.pk))
    assert client.get(add).status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[news_index.pk])).status_code in (
        302,
        403,
    )


@pytest.mark.django_db
def test_the_role_setup_keeps_the_page_permissions_as_the_table_says(news_index):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    roles.roles_sync()
    roles.roles_sync()  # idempotent
    granted = {
        (p.group.name, p.permission.codename, p.page_id)
        for p in GroupPagePermission.objects.select_related("group", "permission")
        if p.group.name in roles.ROLE_PERMISSIONS
    }
    root = Page.get_first_root_node().pk
    assert granted == {
        (roles.ACADEMY_MANAGERS, codename, root)
        for codename in ("add_page", "change_page", "publish_page")
    }
    assert Group.objects.filter(name=roles.ACADEMY_MANAGERS).exists()


@pytest.mark.django_db
def test_a_manager_cannot_delete_a_home_page(client, academy_manager, news_index):
    home = news_index.get_parent()
    news_index.delete()  # a home page without children: Wagtail's "change" would allow it
    client.force_login(academy_manager)
    delete = reverse("wagtailadmin_pages:delete", args=[home.pk])
    assert client.post(delete).status_code in (302, 403)
    assert client.post(f"/admin/bulk/wagtailcore/page/delete/?id={home.pk}").status_code in (
        302,
        403,
    )
    assert Page.objects.filter(pk=home.pk).exists()
