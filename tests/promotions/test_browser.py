"""HR's eligibility check and the auditor's meritocracy dashboard in Chromium (issue 15): the
person is found through the chooser's search, the date picker holds the date, the result is
explained; the dashboard opens on a period with figures. Each page fits 390 px and 1366 px."""

import datetime

import pytest
from django.utils import timezone

from core import authorization as roles
from promotions.models import Competition, RuleSet
from tests.browser import DESKTOP, PHONE, log_in, no_overflow, serious_axe_violations
from tests.factories import (
    AgencyFactory,
    PositionFactory,
    ServantFactory,
    UserFactory,
    hr_officer_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _language(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def _axe_report(page, where):
    """Wagtail's own admin markup may break rules we do not own: print, do not fail."""
    found = serious_axe_violations(page)
    if found:
        print(f"axe, {where}: {found}")
    return found


def test_hr_checks_a_person_found_through_the_chooser_in_russian(live_server, default_site, tab):
    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    akimat = AgencyFactory(name_ru="Акимат города Уральск", name_kk="Орал қаласының әкімдігі")
    other = AgencyFactory()
    hr = hr_officer_for(akimat, username="hr-oral")
    _language(hr, "ru")
    ServantFactory(
        agency=akimat,
        last_name="Нұрғалиева",
        first_name="Әйгерім",
        position=PositionFactory(agency=akimat, category="C-O-4"),
    )
    ServantFactory(agency=akimat, last_name="Петров", first_name="Иван")
    ServantFactory(agency=other, last_name="Нұрғалиев", first_name="Бөтен")

    for width in (PHONE, DESKTOP):
        page = tab(locale="ru-RU", width=width)
        log_in(page, live_server.url, "/admin/login/", "hr-oral")
        page.goto(f"{live_server.url}/admin/promotions/check/")
        # The date picker shows the day (an ISO value), so the form can be sent as it is.
        today = timezone.localdate().isoformat()
        assert page.input_value("#id_as_of") == today
        assert no_overflow(page) == 0, width
        # Wagtail's layout clips what is too wide instead of scrolling: each field must fit.
        for field in ("#id_target_category", "#id_as_of"):
            right = page.eval_on_selector(field, "e => e.getBoundingClientRect().right")
            assert right <= width, (field, right, width)

        page.click("#id_servant-chooser .chooser__choose-button")
        page.fill("#id_q", "нұрғали")
        found = page.locator("#search-results a[data-chooser-modal-choice]")
        # The list answers the search as one types (before it: everyone in the scope).
        page.wait_for_function(
            "() => { const a = document.querySelectorAll("
            "'#search-results a[data-chooser-modal-choice]');"
            " return a.length === 1 && a[0].textContent.includes('Нұрғалиева'); }"
        )
        results = page.locator("#search-results").inner_text()
        assert "Бөтен" not in results, "only the officer's people: the namesake elsewhere is hidden"
        assert no_overflow(page) == 0, width
        found.first.click()
        title = page.locator("#id_servant-chooser .chooser__title")
        title.wait_for()
        assert "Нұрғалиева Әйгерім" in title.inner_text() and "C-O-4" in title.inner_text()

        with page.expect_navigation():
            page.click("form.eligibility-check button[type=submit]")
        target = page.locator(".check-target").inner_text()
        assert "→ C-O-3" in target and "следующая категория выше C-O-4" in target
        explanations = page.locator("table.listing tbody").inner_text()
        assert "академическ" in explanations, explanations
        assert "2026-" not in explanations  # dates read dd.mm.yyyy
        assert no_overflow(page) == 0, width
        if width == DESKTOP:
            _axe_report(page, "eligibility check")


def test_the_auditor_sees_the_latest_year_with_competitions(live_server, default_site, tab):
    auditor = UserFactory(username="auditor", role=roles.AUDITORS)
    _language(auditor, "ru")
    agencies = [AgencyFactory(name_ru=f"Акимат района {n}") for n in range(3)]
    year = timezone.localdate().year - 2  # the register ends before this year
    for index in range(12):
        Competition.objects.create(
            agency=agencies[index % 3],
            position_title=f"Должность {index}",
            category="C-O-4",
            held_on=datetime.date(year, 1 + index % 9, 10),
            kind="general",
            outcome="promoted" if index < 9 else "appointed",
        )

    for width in (PHONE, DESKTOP):
        page = tab(locale="ru-RU", width=width)
        log_in(page, live_server.url, "/admin/login/", "auditor")
        page.goto(f"{live_server.url}/admin/promotions/meritocracy/")
        shown = page.locator(".meritocracy-shown").inner_text()
        assert f"01.01.{year} – 31.12.{year}" in shown
        level = page.locator(".meritocracy-level").inner_text()
        assert "75\xa0%" in level and "9 из 12" in level, level
        assert page.locator(".meritocracy-empty").count() == 0
        sizes = page.eval_on_selector_all(
            ".meritocracy-bars li", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert sizes and min(sizes) >= 12, sizes
        # The table scrolls within its own box; the page itself does not.
        assert no_overflow(page) == 0, width
        box = page.eval_on_selector(".meritocracy-table", "e => e.getBoundingClientRect().right")
        assert box <= width, (box, width)
        if width == DESKTOP:
            _axe_report(page, "meritocracy dashboard")

        later = f"start={year + 1}-01-01&end={year + 1}-06-30"
        page.goto(f"{live_server.url}/admin/promotions/meritocracy/?{later}")
        empty = page.locator(".meritocracy-empty").inner_text()
        assert f"{year}–{year}" in empty, empty
