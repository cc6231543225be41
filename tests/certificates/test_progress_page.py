"""A bulk certificate issue shows its progress (issue 15): after confirming, the manager is on
the job's page, which counts what was issued, to issue and failed, and links to the result
when it is done; nobody else may see it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificates_issue_pending
from core.jobs import JobTracker, job_create, tracked
from core.models import BackgroundJob
from tests.conftest import admin_in_english
from tests.factories import UserFactory


@pytest.mark.django_db
def test_confirming_leads_to_the_job_page_which_links_to_the_certificates(
    client, completed_record, academy_manager, django_capture_on_commit_callbacks
):
    session = completed_record.enrolment.session
    client.force_login(academy_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_issue_session", args=[session.pk]))
    job = BackgroundJob.objects.get()
    assert response.url == reverse("core_job", args=[job.pk])
    assert (job.owner, job.state, job.total, job.done, job.failed) == (
        academy_manager, "done", 1, 1, 0,
    )  # fmt: skip
    html = client.get(response.url).content.decode()
    assert "Issuing certificates" in html and "Open the session&#x27;s certificates" in html
    certificates_url = f"{reverse('certificates:index')}?session={session.pk}"
    assert certificates_url in html
    assert reverse("certificates_session_zip", args=[session.pk]) in html
    assert "job-progress.js" not in html  # done: nothing left to follow
    serial = Certificate.objects.get().serial
    assert serial in client.get(certificates_url).content.decode()
    assert (
        serial not in client.get(f"{reverse('certificates:index')}?session=999999").content.decode()
    )
    status = client.get(reverse("core_job_status", args=[job.pk])).json()
    assert status | {"state_label": "", "updated": ""} == {
        "state": "done", "state_label": "", "total": 1, "done": 1, "failed": 0,
        "remaining": 0, "finished": True, "stalled": False, "updated": "",
    }  # fmt: skip


@pytest.mark.django_db
def test_only_the_owner_and_a_superuser_may_see_a_job(client, academy_manager, superuser):
    from core.authorization import ACADEMY_MANAGERS

    job = job_create(kind="certificates.session_issue", owner=academy_manager, total=3)
    other = UserFactory(username="manager2", role=ACADEMY_MANAGERS)
    page, status = reverse("core_job", args=[job.pk]), reverse("core_job_status", args=[job.pk])
    client.force_login(other)
    assert client.get(page).status_code in (302, 403)
    assert client.get(status).status_code in (302, 403)
    client.force_login(superuser)
    assert client.get(status).status_code == 200
    client.force_login(academy_manager)
    html = client.get(page).content.decode()
    assert "job-progress.js" in html and reverse("core_job_status", args=[job.pk]) in html


@pytest.mark.django_db
def test_the_counts_move_as_the_job_runs_and_a_refusal_is_counted_not_fatal(academy_manager):
    job = job_create(kind="certificates.session_issue", owner=academy_manager, total=3)
    tracker = JobTracker(job.pk, interval=0)
    tracker.start()
    seen = []

    def snapshot():
        job.refresh_from_db()
        seen.append((job.state, job.done, job.failed, job.remaining))

    tracker.progress(1, 3)
    snapshot()
    tracker.item_failed(42, None)
    tracker.progress(2, 3)
    snapshot()
    tracker.progress(3, 3)
    tracker.finish()
    snapshot()
    assert seen == [("running", 1, 0, 2), ("running", 1, 1, 1), ("done", 2, 1, 0)]


@pytest.mark.django_db
def test_a_job_that_raises_is_marked_failed_with_its_error(academy_manager):
    job = job_create(kind="certificates.session_issue", owner=academy_manager)
    with pytest.raises(RuntimeError), tracked(job.pk):
        raise RuntimeError("the printer caught fire")
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "the printer caught fire"


@pytest.mark.django_db
def test_a_bulk_run_counts_a_refused_record_and_issues_the_rest(completed_record):
    completed_record.is_current = False  # superseded meanwhile: refused
    completed_record.save(update_fields=["is_current"])
    failed = []
    from certificates import services

    ids = [completed_record.pk]
    real = services.pending_records

    def pending():
        return real().model.objects.filter(pk__in=ids)

    services.pending_records = pending
    try:
        issued = certificates_issue_pending(actor=None, refused=lambda pk, e: failed.append(pk))
    finally:
        services.pending_records = real
    assert issued == [] and failed == [completed_record.pk]


def job_quiet_for(owner, minutes: int, state: str = "running") -> BackgroundJob:
    """A job whose worker last wrote `minutes` ago."""
    job = job_create(kind="certificates.session_issue", owner=owner, total=5)
    written = timezone.now() - datetime.timedelta(minutes=minutes)
    BackgroundJob.objects.filter(pk=job.pk).update(state=state, done=2, updated_at=written)
    job.refresh_from_db()
    return job


def warning_in(html: str) -> str:
    """The stalled-worker warning as the page shows it ("" while it is hidden)."""
    match = re.search(r"<div [^>]*data-job-stalled[^>]*>(.*?)</div>", html, re.S)
    assert match, "the page carries the warning for its script to show"
    if " hidden" in match.group(0)[: match.group(0).index(">")]:
        return ""
    visible = re.sub(r"<p [^>]*\bhidden\b[^>]*>.*?</p>", "", match.group(1), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", visible).split())


@pytest.mark.django_db
def test_a_running_job_whose_worker_is_quiet_for_11_minutes_is_shown_as_possibly_stalled(
    client, academy_manager
):
    job = job_quiet_for(academy_manager, 11)
    assert job.is_stalled()
    client.force_login(admin_in_english(academy_manager))
    html = client.get(reverse("core_job", args=[job.pk])).content.decode()
    warning = warning_in(html)
    assert warning.startswith("The worker has not reported for over 10 minutes.")
    assert "does not resume by itself" in warning
    assert "issue the session's certificates again" in warning.replace("&#x27;", "'")
    written = timezone.localtime(job.updated_at)
    assert (
        f'Last news from the worker</dt><dd data-job-field="updated">{written:%d.%m.%Y %H:%M:%S}'
        in html
    )
    status = client.get(reverse("core_job_status", args=[job.pk])).json()
    assert status["stalled"] is True and status["updated"] == f"{written:%d.%m.%Y %H:%M:%S}"


@pytest.mark.django_db
def test_a_job_the_worker_reported_on_a_minute_ago_shows_no_warning(client, academy_manager):
    job = job_quiet_for(academy_manager, 1)
    client.force_login(admin_in_english(academy_manager))
    html = client.get(reverse("core_job", args=[job.pk])).content.decode()
    assert warning_in(html) == ""
    status = client.get(reverse("core_job_status", args=[job.pk])).json()
    assert status["stalled"] is False


@pytest.mark.django_db
def test_a_job_no_worker_has_taken_for_11_minutes_says_it_waits_for_a_worker(
    client, academy_manager
):
    job = job_quiet_for(academy_manager, 11, state="queued")
    client.force_login(admin_in_english(academy_manager))
    html = client.get(reverse("core_job", args=[job.pk])).content.decode()
    warning = warning_in(html)
    assert warning.startswith("No worker has taken this job for over 10 minutes")
    assert "starts as soon as a worker is free" in warning
    assert 'data-job-field="updated">not picked up yet<' in html
    assert client.get(reverse("core_job_status", args=[job.pk])).json()["stalled"] is True


@pytest.mark.django_db
def test_a_finished_job_is_never_stalled(academy_manager):
    job = job_quiet_for(academy_manager, 60, state="done")
    assert not job.is_stalled()
