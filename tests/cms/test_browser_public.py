"""The public site in Chromium, as a civil servant reads it: every page fits a 390 px phone
and a 1366 px screen in Kazakh and Russian, axe-core finds no serious or critical WCAG 2.1
AA violation, and the keyboard alone reaches everything (with the "for the visually
impaired" mode, which passes axe too)."""

import datetime

import pytest
from django.utils import timezone

from core import authorization as roles
from enrolments.calendar_feeds import calendar_feed_rotate
from enrolments.models import QualificationRecord
from enrolments.services import enrolment_request, session_cancel
from tests.browser import DESKTOP, PHONE, log_in, no_overflow, serious_axe_violations
from tests.factories import (
    AgencyFactory,
    PositionFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def walker(site_tree):
    """A C-O-4 civil servant with something in every part of My learning: an upcoming
    enrolment, a cancelled one, a record, a calendar address; and a programme open to them
    beside one that is not (its audience is D-O-*)."""
    today = timezone.localdate()
    servant = ServantFactory(
        agency=AgencyFactory(),
        position=PositionFactory(category="C-O-4"),
        user=UserFactory(username="walker", role=roles.CIVIL_SERVANTS),
    )
    programme = ProgrammeFactory(
        code="WALK-OPEN",
        title_kk="Мемлекеттік қызметшілердің цифрлық құзыреттіліктерін жетілдіру",
        title_ru="Совершенствование цифровых компетенций государственных служащих",
        summary_kk="Цифрлық сауаттылық курсы.",
        summary_ru="Курс цифровой грамотности.",
        description_kk="<p>Электрондық үкімет, деректермен жұмыс және ақпараттық қауіпсіздік.</p>",
        description_ru="<p>Электронное правительство, работа с данными и инфобезопасность.</p>",
    )
    sessions = [
        SessionFactory(
            programme=programme,
            starts_on=today + datetime.timedelta(days=days),
            ends_on=today + datetime.timedelta(days=days + 4),
            enrolment_opens_on=today - datetime.timedelta(days=5),
            enrolment_closes_on=today + datetime.timedelta(days=5),
        )
        for days in (10, 20, 30)
    ]
    enrolment_request(servant=servant, session=sessions[0], actor=servant.user)
    enrolment_request(servant=servant, session=sessions[2], actor=servant.user)
    manager = UserFactory(username="walk-manager", role=roles.ACADEMY_MANAGERS)
    session_cancel(session=sessions[2], actor=manager, reason="Оқытушы ауырып қалды")
    SessionFactory(programme=ProgrammeFactory(code="WALK-D", audience="D-O-*"))
    QualificationRecord.objects.create(
        servant=servant,
        title="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        kind="upgrade",
        provider="Мемлекеттік басқару академиясының Батыс Қазақстан облысы бойынша филиалы",
        hours=36,
        completed_on=today - datetime.timedelta(days=200),
        valid_until=today + datetime.timedelta(days=900),
        source="import",
    )
    calendar_feed_rotate(servant=servant, actor=servant.user)
    return servant


PAGES = [
    "/{lang}/",
    "/{lang}/programmes/",
    "/{lang}/programmes/?kind=upgrade&language=kk&q=WALK",
    "/{lang}/programmes/WALK-OPEN/",
    "/{lang}/programmes/WALK-D/",
    "/{lang}/my/",
    "/{lang}/news/",
    "/{lang}/about/",
]
# axe-core on the pages the issue names (the verify page is checked with its own tests).
AXE_PAGES = {"/{lang}/", "/{lang}/programmes/", "/{lang}/programmes/WALK-OPEN/", "/{lang}/my/"}


def test_public_pages_fit_a_phone_and_a_screen_and_pass_axe(live_server, walker, tab):
    base = live_server.url
    problems = []
    # axe once per language, on a phone in Kazakh and on a screen in Russian: both layouts.
    for lang, width, axe in (
        ("kk", PHONE, True),
        ("kk", DESKTOP, False),
        ("ru", PHONE, False),
        ("ru", DESKTOP, True),
    ):
        page = tab(locale=f"{lang}-KZ", width=width)
        page.goto(f"{base}/{lang}/accounts/login/")
        if no_overflow(page):
            problems.append(f"login {lang} {width}px: {no_overflow(page)} px too wide")
        if axe:
            problems += [f"login {lang}: {v}" for v in serious_axe_violations(page)]
        log_in(page, base, f"/{lang}/accounts/login/", "walker")
        for path in PAGES:
            url = path.format(lang=lang)
            response = page.goto(base + url)
            if response.status != 200:
                problems.append(f"{url}: {response.status}")
            if overflow := no_overflow(page):
                problems.append(f"{url} {width}px: {overflow} px too wide")
            if axe and path in AXE_PAGES:
                problems += [f"{url}: {v}" for v in serious_axe_violations(page)]
    assert problems == []


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const style = getComputedStyle(el);
        return {tag: el.tagName, cls: el.className, text: el.textContent.trim(),
                action: el.form ? el.form.getAttribute('action') : null,
                inSwitcher: !!el.closest('.language-switcher'),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2}; }"""
    )


def _tab_until(page, wanted, limit=40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab did not reach it in {limit} presses (last: {focused})")


def test_the_keyboard_alone_reaches_everything_and_the_low_vision_mode(live_server, walker, tab):
    base = live_server.url
    page = tab(locale="kk-KZ", width=DESKTOP)
    log_in(page, base, "/kk/accounts/login/", "walker")
    open_session = walker.enrolments.order_by("session__starts_on").first().session
    programme = f"{base}/kk/programmes/WALK-OPEN/"
    page.goto(programme)

    # First Tab: the skip link, shown; Enter moves on to the content.
    skip = _tab_until(page, lambda f: True, limit=1)
    assert "skip-link" in skip["cls"] and skip["ring"], skip
    assert page.locator(".skip-link").bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # From the content, Tab goes to an Enrol button (the session after the one held), with
    # a visible focus ring; the refused programme's button is disabled, so Tab skips it.
    enrol = _tab_until(page, lambda f: (f["action"] or "").endswith("/enrol/"))
    assert enrol["ring"] and enrol["action"] != f"/kk/sessions/{open_session.pk}/enrol/"

    # From the top, Tab reaches the language switcher and the low-vision switch.
    page.goto(programme)
    language = _tab_until(page, lambda f: f["inSwitcher"], limit=10)
    assert language["ring"]
    page.goto(programme)
    _tab_until(page, lambda f: f["action"] == "/a11y/low-vision/", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == programme
    assert "low-vision" in page.evaluate("document.documentElement.className")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 20
    assert serious_axe_violations(page) == []
    # Kept in a cookie: the next page (on a phone-sized window too) is in the same mode.
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(f"{base}/kk/my/")
    assert "low-vision" in page.evaluate("document.documentElement.className")
    assert no_overflow(page) == 0
    assert serious_axe_violations(page) == []
