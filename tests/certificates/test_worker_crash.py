"""The task worker killed in the middle of a bulk issue, then the operator's recovery: every
completion ends up with exactly one certificate and the serial numbers have no gap or twin.

Real parts: PostgreSQL, the django-tasks-db backend and `manage.py db_worker` processes.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from certificates.models import Certificate, SerialCounter
from core.iin import make_iin
from enrolments.models import Enrolment, QualificationRecord
from notifications.models import Kind, Notification
from people.models import CivilServant
from tests.factories import PositionFactory, ProgrammeFactory, SessionFactory

from .test_backup_restore import database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a worker process needs a shared PostgreSQL"
    ),
]

ROOT = Path(__file__).resolve().parent.parent.parent
COMPLETIONS = 400


def production_like_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def manage(*args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_like_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


ISSUE_TASK = "certificates.tasks.issue_session_certificates"


def enqueue_bulk_issue(session_id: int) -> None:
    """What the academy's "issue certificates" button does, from another process."""
    manage(
        "shell",
        "-c",
        "from certificates.tasks import issue_session_certificates as t; "
        f"print(t.enqueue({session_id}).id)",
    )


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=production_like_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def session_of_completions(db):
    """COMPLETIONS passed enrolments of one session, each with its qualification record and
    no certificate yet."""
    programme = ProgrammeFactory(code="ETHICS-16", academic_hours=16)
    ended = timezone.localdate() - datetime.timedelta(days=3)
    session = SessionFactory(
        programme=programme, starts_on=ended - datetime.timedelta(days=2), ends_on=ended
    )
    position = PositionFactory()
    import random

    rng = random.Random(2026)
    iins = set()
    while len(iins) < COMPLETIONS:
        iins.add(make_iin(rng))
    servants = CivilServant.objects.bulk_create(
        CivilServant(
            iin=iin,
            last_name="Сейітов",
            first_name=f"Нұрлан {index}",
            agency=position.agency,
            position=position,
        )
        for index, iin in enumerate(sorted(iins))
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            servant=servant,
            session=session,
            status="completed",
            requested_at=now,
            attended_hours=16,
            passed=True,
            finished_at=now,
        )
        for servant in servants
    )
    QualificationRecord.objects.bulk_create(
        QualificationRecord(
            servant=enrolment.servant,
            programme=programme,
            enrolment=enrolment,
            title=programme.title_ru,
            kind=programme.kind,
            provider="Академия",
            hours=16,
            completed_on=ended,
            valid_until=ended + datetime.timedelta(days=1095),
            source="enrolment",
        )
        for enrolment in enrolments
    )
    return session


def other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_then_recovered_issues_each_certificate_once(
    session_of_completions,
):
    from django_tasks_db.models import DBTaskResult

    enqueue_bulk_issue(session_of_completions.pk)
    worker = start_worker()
    try:
        # Kill it (no chance to clean up) once some but not all certificates exist.
        wait_until(lambda: Certificate.objects.count() >= 20, 120, "the first certificates")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The server notices the dropped connection and rolls its open transaction back.
    wait_until(lambda: not other_connections(), 60, "the dead worker's connection to close")
    issued_before_crash = Certificate.objects.count()
    print(f"killed after {issued_before_crash} of {COMPLETIONS} certificates")
    assert 0 < issued_before_crash < COMPLETIONS

    # django-tasks-db never re-runs a task a dead worker left RUNNING: a fresh worker finds
    # nothing to do and the job stays half done.
    # (Each certificate issued also queued its holder's e-mail: other tasks.)
    issuing = DBTaskResult.objects.filter(task_path=ISSUE_TASK)
    (stale,) = issuing
    assert stale.status == "RUNNING"
    manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert Certificate.objects.count() == issued_before_crash

    # The operator's recovery (docs/deployment.md): enqueue the job again and let a worker run.
    enqueue_bulk_issue(session_of_completions.pk)
    manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    finished = issuing.exclude(pk=stale.pk).get()
    assert finished.status == "SUCCESSFUL"
    assert finished.return_value == COMPLETIONS - issued_before_crash
    # Running the command as well (the other documented recovery) issues nothing more.
    assert "Certificates issued: 0" in manage("issue_certificates", "--all-pending").stdout

    records = QualificationRecord.objects.filter(enrolment__session=session_of_completions)
    per_record = records.annotate(n=Count("certificates")).values_list("n", flat=True)
    assert sorted(set(per_record)) == [1]
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == list(range(1, COMPLETIONS + 1))
    assert Certificate.objects.values("serial").distinct().count() == COMPLETIONS
    assert SerialCounter.objects.get().last_number == COMPLETIONS
    # Each holder is told once, the ones issued before the crash included.
    told = Notification.objects.filter(kind=Kind.CERTIFICATE_ISSUED)
    assert told.count() == told.values("servant").distinct().count() == COMPLETIONS
