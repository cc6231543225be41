"""What every browser test shares: Debian's Chromium driven by Playwright, a logged-in tab in
the language and at the width a user has, the axe-core check and the overflow check.

tests/conftest.py offers the fixtures `browser`, `tab` and `default_site`; a test module
imports the functions::

    from tests.browser import log_in, no_overflow, serious_axe_violations

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(live_server, default_site, tab):
        page = tab(locale="kk-KZ", width=390)
        log_in(page, live_server.url, "/kk/accounts/login/", "someone")

No browser is ever downloaded: /usr/bin/chromium (Debian's package, `make setup`) or a loud
failure. Browser tests run once, on PostgreSQL (tests/conftest.py skips them on SQLite).
"""

import os

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright
from wagtail.models import Locale, Page, Site

# Playwright's sync API runs an asyncio event loop in the test thread; Django would otherwise
# refuse the ORM calls the test makes there (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pw-for-tests-1"  # what UserFactory sets
TIMEOUT_MS = 10_000
DESKTOP, PHONE = 1366, 390


@pytest.fixture
def default_site():
    """Every page's base template reads Wagtail's default Site. The migrations create it, but
    an earlier transactional test's flush removes it: put it back when it is missing."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    return Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


@pytest.fixture
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(`make setup` or `apt-get install chromium`). Playwright must not download browsers.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # While Playwright's loop runs, Django keeps DB connections per context, not per
            # thread: close the ones opened in here, or PostgreSQL cannot drop the test database.
            connections.close_all()


@pytest.fixture
def tab(browser):
    """`tab(locale="kk-KZ", width=390)` opens a new tab in its own browser context (own
    cookies) with that Accept-Language and viewport width."""
    contexts = []

    def open_tab(locale="ru-RU", width=DESKTOP, height=900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def log_in(page, base, login_path, username, password=PASSWORD):
    """Log in through the real form at `login_path` (public or admin)."""
    page.goto(f"{base}{login_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        # The login form's own button: the public header has forms of its own (language…).
        page.click("form:has(#id_password) button[type=submit]")


def no_overflow(page):
    """The page scrolls sideways by how many pixels (0 when it fits its viewport)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def serious_axe_violations(page):
    """axe-core (bundled by axe-playwright-python) on the current page: the serious and
    critical WCAG 2.1 A/AA violations, as readable lines (rule, impact, first targets)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "resultTypes": ["violations"],
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    }
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found
