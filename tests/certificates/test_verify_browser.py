"""The public certificate check in Chromium: each field's label and value share one box (side
by side at 1366 px, stacked at 390 px) however long the programme's titles, nothing overflows,
and axe-core finds no serious violation on the check or on the /verify/ form, in kk and ru."""

import pytest

from certificates.services import certificate_issue, certificate_revoke
from tests.browser import DESKTOP, PHONE, no_overflow, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = """() => [...document.querySelectorAll('dl.cert-facts > div')].map(row => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  return {row: box(row), dt: box(row.querySelector('dt')), dd: box(row.querySelector('dd')),
          label: row.querySelector('dt').textContent.trim()};
})"""


def inside(inner, outer):
    return (
        inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
        and inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
    )


def test_each_label_stays_with_its_value_and_the_pages_pass_axe(
    live_server, default_site, tab, completed_record, academy_manager
):
    # Titles long enough to take two lines or more at any width.
    completed_record.title_kk = "Мемлекеттік қызмет көрсету сапасын арттыру және азаматтармен " * 2
    completed_record.title_ru = "Повышение качества оказания государственных услуг населению " * 2
    completed_record.save()
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate_revoke(certificate=certificate, reason="Ошибка в данных", actor=academy_manager)
    code = certificate.verification_code
    for language, locale in (("kk", "kk-KZ"), ("ru", "ru-RU")):
        for width in (DESKTOP, PHONE):
            page = tab(locale=locale, width=width)
            page.goto(f"{live_server.url}/{language}/verify/{code}/")
            assert page.locator(".verdict-revoked .verdict-icon").count() == 1
            rows = page.evaluate(ROWS)
            assert len(rows) >= 8
            for previous, row in zip(rows, rows[1:], strict=False):
                assert row["row"]["top"] >= previous["row"]["bottom"] - 0.5, row["label"]
            for row in rows:
                assert inside(row["dt"], row["row"]) and inside(row["dd"], row["row"]), row
                if width == DESKTOP:  # side by side: same first line, label left of value
                    assert abs(row["dt"]["top"] - row["dd"]["top"]) < 2, row["label"]
                    assert row["dt"]["right"] <= row["dd"]["left"], row["label"]
                else:  # stacked: the value under its label
                    assert row["dd"]["top"] >= row["dt"]["bottom"] - 0.5, row["label"]
            assert no_overflow(page) == 0, (language, width)
            if width == DESKTOP:
                assert serious_axe_violations(page) == [], (language, "verify")
                page.goto(f"{live_server.url}/{language}/verify/?code=no-such-code")
                assert page.locator(".verdict-unknown").count() == 1
                assert serious_axe_violations(page) == [], (language, "form")
                page.fill("input[name=code]", code)
                with page.expect_navigation():
                    page.press("input[name=code]", "Enter")  # the keyboard alone
                assert page.url.endswith(f"/{language}/verify/{code}/")
