"""The academy manager's main flow in a real browser (issue 15): open a finished session from
the list, record its results, issue its certificates, watch the job's page reach "done" and
follow its link to the certificates. The job page's own polling is watched too, and every page
of the flow fits a 390 px phone."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from core import authorization as roles
from core.jobs import job_create
from core.models import BackgroundJob, JobState
from enrolments.models import Enrolment
from tests.browser import DESKTOP, PHONE, log_in, no_overflow
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(default_site):
    user = UserFactory(username="flow-manager", role=roles.ACADEMY_MANAGERS)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ru"
    profile.save()
    # The first admin request loads Wagtail's URLs and hooks (seconds on a busy machine):
    # done here, not inside the browser's 10 s navigation timeout.
    Client().get("/admin/login/")
    return user


@pytest.fixture
def finished_session():
    today = timezone.localdate()
    session = SessionFactory(
        programme=ProgrammeFactory(code="FLOW-FIN", academic_hours=40),
        starts_on=today - datetime.timedelta(days=9),
        ends_on=today - datetime.timedelta(days=5),
    )
    agency = AgencyFactory()
    for last_name in ("Ахметова", "Бекболатов"):
        Enrolment.objects.create(
            servant=ServantFactory(agency=agency, last_name=last_name),
            session=session,
            status="enrolled",
            requested_at=timezone.now(),
        )
    return session


def test_the_manager_records_results_issues_certificates_and_follows_the_job(
    live_server, tab, manager, finished_session
):
    base, session = live_server.url, finished_session
    page = tab(locale="ru-RU", width=DESKTOP)
    log_in(page, base, "/admin/login/", manager.username)

    page.goto(f"{base}/admin/snippets/courses/session/?phase=finished")
    page.get_by_text("FLOW-FIN").first.wait_for()
    page.goto(f"{base}/admin/snippets/courses/session/inspect/{session.pk}/")
    assert page.locator(".session-roster tbody tr").count() == 2
    page.click(f"a[href='/admin/enrolments/sessions/{session.pk}/results/']")

    # Nothing is filled in: the manager types the hours and ticks who passed.
    assert page.locator("input[type=checkbox]:checked").count() == 0
    page.fill("#id_form-0-attended_hours", "40")
    page.check("#id_form-0-passed")
    page.fill("#id_form-1-attended_hours", "20")
    page.check("#id_form-1-passed")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    reason = page.locator(".result-reason").nth(1).inner_text()
    assert "посещено 20 из 32" in reason, reason  # not passed: attendance is the reason

    page.goto(f"{base}/admin/certificates/sessions/{session.pk}/issue/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert re.search(r"/admin/jobs/\d+/$", page.url)
    page.locator("[data-job-field=state_label]").filter(has_text="Выполнено").wait_for()
    assert page.locator("[data-job-field=done]").inner_text() == "1"
    assert page.locator("[data-job-field=remaining]").inner_text() == "0"
    job_url = page.url
    with page.expect_navigation():
        page.click(f"a[href$='?session={session.pk}']")
    serial = Certificate.objects.get().serial
    page.get_by_text(serial).first.wait_for()

    phone = tab(locale="ru-RU", width=PHONE)
    log_in(phone, base, "/admin/login/", manager.username)
    overflow = {}
    for path in (
        "/admin/snippets/courses/session/",
        f"/admin/snippets/courses/session/inspect/{session.pk}/",
        f"/admin/enrolments/sessions/{session.pk}/results/",
        job_url.removeprefix(base),
    ):
        phone.goto(f"{base}{path}")
        overflow[path] = no_overflow(phone)
    assert overflow == dict.fromkeys(overflow, 0)


def test_the_job_page_follows_the_counts_and_links_to_the_result_when_done(
    live_server, tab, manager
):
    job = job_create(
        kind="certificates.session_issue",
        owner=manager,
        subject="FLOW",
        total=3,
        result_url="/admin/certificates/",
    )
    page = tab(locale="ru-RU", width=PHONE)
    log_in(page, live_server.url, "/admin/login/", manager.username)
    page.goto(f"{live_server.url}/admin/jobs/{job.pk}/")
    assert page.locator("a[href='/admin/certificates/'].button").count() == 0
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, done=2)
    page.locator("[data-job-field=done]").filter(has_text="2").wait_for()
    assert page.locator("[data-job-field=remaining]").inner_text() == "1"
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.DONE, done=3)
    page.locator("main a.button[href='/admin/certificates/']").wait_for()
    assert no_overflow(page) == 0
