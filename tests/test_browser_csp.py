"""The Content-Security-Policy blocks nothing the site needs (issue 12, item 8): Chromium walks
the public pages as a civil servant and the back office as a superuser, and reports every CSP
violation (console errors and `securitypolicyviolation` events)."""

import datetime

import pytest
from django.utils import timezone

from certificates.services import certificate_issue
from core import authorization as roles
from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from tests.browser import PASSWORD
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def watched(tab):
    page = tab()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.add_init_script(LISTEN)
    return page, errors


def _visit(tab, url, errors, seen):
    response = tab.goto(url)
    assert response.status < 400, (url, response.status)
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(1500)  # scripts that run after load (Stimulus controllers, fetches)
    assert "Content-Security-Policy" in {h.title() for h in response.headers}
    violations = tab.evaluate("window.__csp")
    seen[url] = violations + [e for e in errors if "Content Security Policy" in e]
    errors.clear()


def _log_in(tab, base, login_path, username):
    tab.goto(f"{base}{login_path}")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    with tab.expect_navigation():
        tab.click("form:has(#id_password) button[type=submit]")


@pytest.fixture
def world(default_site):
    today = timezone.localdate()
    programme = ProgrammeFactory(code="CSP-WALK", academic_hours=40)
    session = SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
    )
    agency = AgencyFactory()
    servant = ServantFactory(
        agency=agency, user=UserFactory(username="csp-servant", role=roles.CIVIL_SERVANTS)
    )
    manager = UserFactory(username="csp-manager", role=roles.ACADEMY_MANAGERS)
    past = SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=6),
    )
    enrolment = Enrolment.objects.create(
        servant=servant, session=past, status="enrolled", requested_at=timezone.now()
    )
    enrolment_record_result(enrolment=enrolment, attended_hours=40, passed=True, actor=manager)
    record = enrolment.qualification_records.get()
    certificate = certificate_issue(record=record, actor=manager)
    superuser = UserFactory(username="csp-root", is_superuser=True, is_staff=True)
    return {
        "programme": programme,
        "session": session,
        "servant": servant,
        "certificate": certificate,
        "superuser": superuser,
    }


def test_public_pages_and_the_admin_break_no_csp_rule(live_server, watched, world):
    tab, errors = watched
    base = live_server.url
    seen = {}
    _log_in(tab, base, "/ru/accounts/login/", "csp-servant")
    for path in (
        "/ru/programmes/",
        f"/ru/programmes/{world['programme'].code}/",
        "/ru/my/",
        f"/verify/{world['certificate'].verification_code}/",
        "/api/v1/docs/",
    ):
        _visit(tab, base + path, errors, seen)
    # The API docs' script ran (Swagger UI drew its page).
    tab.goto(base + "/api/v1/docs/")
    tab.wait_for_selector(".swagger-ui .info", timeout=10_000)

    tab.context.clear_cookies()
    _log_in(tab, base, "/admin/login/", "csp-root")
    session = world["session"]
    for path in (
        "/admin/",
        "/admin/snippets/courses/programme/",
        f"/admin/snippets/courses/programme/edit/{world['programme'].pk}/",
        f"/admin/snippets/courses/session/edit/{session.pk}/",
        "/admin/records/import/",
    ):
        _visit(tab, base + path, errors, seen)
    # The admin's scripts work: the date widget's inline script (the reason the admin allows
    # 'unsafe-inline' scripts) made its chooser.
    tab.goto(f"{base}/admin/snippets/courses/session/edit/{session.pk}/")
    tab.click("#id_starts_on")
    tab.wait_for_selector(".xdsoft_datetimepicker", state="visible", timeout=5_000)

    assert {url: v for url, v in seen.items() if v} == {}
