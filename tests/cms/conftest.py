"""Shared by the public site's tests: a small page tree in Kazakh and Russian."""

import datetime

import pytest
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage


@pytest.fixture
def site_tree(default_site):
    """A Kazakh home page with News (one article), About and a page kept out of menus, and
    their Russian translations; the default site starts at the home page."""
    kk, _ = Locale.objects.get_or_create(language_code="kk")
    ru, _ = Locale.objects.get_or_create(language_code="ru")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Біліктілік", slug="home-kk", locale=kk))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    news = home.add_child(instance=NewsIndexPage(title="Жаңалықтар", slug="news", locale=kk))
    home.add_child(
        instance=StandardPage(title="Филиал туралы", slug="about", locale=kk, show_in_menus=True)
    )
    home.add_child(instance=StandardPage(title="Жасырын бет", slug="hidden", locale=kk))
    article = news.add_child(
        instance=NewsPage(
            title="Жаңа оқу жылы",
            slug="new-year",
            locale=kk,
            date=datetime.date(2026, 9, 1),
            intro="Филиал жаңа оқу жылын бастады.",
        )
    )
    home.copy_for_translation(ru).save_revision().publish()
    titles = {"news": "Новости", "about": "О филиале", "hidden": "Скрытая", "new-year": "Новый год"}
    for page in (*home.get_children(), article):
        copy = page.specific.copy_for_translation(ru)
        copy.title = titles[page.slug]
        copy.save_revision().publish()
    return home
