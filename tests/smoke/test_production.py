"""Production smoke test: what an operator and the first users do, on the real stack.

On a fresh database (CREATE DATABASE on the cluster DATABASE_URL points to), with
`config.settings.production` configured from environment variables only, as a deployment would:
`manage.py check --deploy` (no issues), `migrate` (system checks on), `collectstatic` and
`seed_demo`, then gunicorn (2 workers) and `manage.py db_worker` as subprocesses. Clients speak
plain http to 127.0.0.1 with `X-Forwarded-Proto: https`, as the TLS proxy would, so secure
cookies, HSTS and the https CSRF checks are those of production.

Then: public pages in kk/ru/en, hashed and compressed static files, every demo role logs in
through the real login form and opens every page of its menu, a civil servant enrols and the
worker (not the web process) sends the confirmation e-mail in the servant's language, the
academy manager issues a finished session's certificates in the background and downloads a PDF,
an HR officer imports a file (preview, then confirm), a page edit runs Wagtail's own background
jobs through the worker, and with the database gone `/healthz` and the pages answer a plain 503.
Any 5xx (other than that 503) or any Traceback in the gunicorn or worker logs fails the test.

PostgreSQL only (make test's second pass); about a minute and a half on 2 idle cores.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zoneinfo
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from tests.smoke.client import Client, forms_in
from tests.smoke.stack import ROOT, Stack, tail

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the production stack runs on PostgreSQL (make test's second pass runs it)",
    ),
]

PASSWORD = "biliktilik-demo"  # seed_demo's demo password
STAFF = ("admin", "manager", "hr.akimat", "hr.oral", "auditor")
LANGUAGES = ("kk", "ru", "en")


@pytest.fixture(scope="module")
def stack():
    """Deploy as an operator would, on a fresh database; stop everything afterwards."""
    cluster_url = os.environ.get("DATABASE_URL", "")
    assert cluster_url.startswith("postgres"), "DATABASE_URL must point to PostgreSQL"
    tmp = Path(tempfile.mkdtemp(prefix="biliktilik-smoke-"))
    stack = Stack(tmp=tmp, cluster_url=cluster_url)
    collect = None
    try:
        with stack.timed("create database"):
            stack.create_database()
        # With the mail settings of a real deployment (SMTP): Django refuses the file backend
        # in a deploy check (mail.E001), which the rest of this test uses for lack of a server.
        smtp = {k: v for k, v in stack.env().items() if not k.startswith("EMAIL_")}
        with stack.timed("check --deploy"):
            check = stack.manage("check", "--deploy", "--fail-level", "WARNING", env=smtp)
        assert "System check identified no issues" in check.stdout, check.stdout + check.stderr
        # collectstatic needs no database: it runs while migrate and seed_demo do.
        started = time.monotonic()
        stack.logs.mkdir(parents=True, exist_ok=True)
        with (stack.logs / "collectstatic.log").open("wb") as collect_log:
            collect = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput"],
                cwd=ROOT,
                env=stack.env(),
                stdout=collect_log,
                stderr=subprocess.STDOUT,
            )
        with stack.timed("migrate"):
            migrate = stack.manage("migrate", "--noinput")
        # The database cache table comes from a migration: no `createcachetable` step.
        assert stack.query("SELECT to_regclass('biliktilik_cache')") != [(None,)], migrate.stdout
        with stack.timed("seed_demo"):
            seed = stack.manage("seed_demo")
        for username in (*STAFF, "servant", "servant2"):
            assert re.search(rf"^\s+{re.escape(username)}\s", seed.stdout, re.M), seed.stdout
        assert collect.wait(600) == 0, tail(stack.logs / "collectstatic.log")
        stack.timings["collectstatic (in parallel)"] = time.monotonic() - started
        assert (tmp / "static" / "staticfiles.json").exists()
        with stack.timed("gunicorn until healthy"):
            stack.start_web(workers=2)
        yield stack
    finally:
        if collect is not None and collect.poll() is None:
            collect.kill()
            collect.wait()
        stack.stop_all()
        stack.drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


def log_in_staff(stack: Stack, username: str) -> Client:
    client = Client(stack.port)
    form = client.form("/admin/login/", contains="username")
    response = client.post(
        "/admin/login/", form.values(username=username, password=PASSWORD, next="/admin/")
    )
    assert response.status == 302 and response.location.endswith("/admin/"), (
        f"{username} could not log in: {response!r} {response.text[:500]}"
    )
    assert "sessionid" in client.cookies
    return client


def log_in_servant(stack: Stack, username: str, lang: str) -> Client:
    client = Client(stack.port)
    login = f"/{lang}/accounts/login/"
    form = client.form(login, contains="username")
    response = client.post(login, form.values(username=username, password=PASSWORD))
    assert response.status == 302, f"{username} could not log in: {response.text[:500]}"
    return client


def secure_cookies(response_headers) -> dict[str, str]:
    return {
        header.split("=", 1)[0]: header for header in response_headers.get_all("Set-Cookie") or []
    }


# -- the public site ----------------------------------------------------------------------


def test_public_pages_in_every_language(stack):
    visitor = Client(stack.port)
    for lang in LANGUAGES:
        home = visitor.ok(f"/{lang}/")
        assert f'lang="{lang}"' in home.text
        assert "max-age=31536000" in home.header("Strict-Transport-Security")
        catalog = visitor.ok(f"/{lang}/programmes/")
        codes = re.findall(rf'href="/{lang}/programmes/([^/"?]+)/"', catalog.text)
        assert codes, f"no programme links in the {lang} catalog"
        programme = visitor.ok(f"/{lang}/programmes/{codes[0]}/")
        assert codes[0] in programme.text
        bad = visitor.get(f"/{lang}/verify/NO-SUCH-CODE/")
        assert bad.status == 404, bad
    assert visitor.get("/verify/NO-SUCH-CODE/").status == 404
    assert visitor.get("/admin/").status == 302  # to the login form
    # Without the proxy's header, the site sends browsers to https; the probe is exempt.
    plain = Client(stack.port, proxy_https=False)
    redirect = plain.get("/ru/")
    assert redirect.status == 301 and redirect.location.startswith("https://"), redirect
    health = plain.get("/healthz")
    assert health.status == 200 and json.loads(health.body) == {"status": "ok", "database": "ok"}


def test_static_files_are_hashed_compressed_and_cached_for_ever(stack):
    visitor = Client(stack.port)
    home = visitor.ok("/ru/")
    stylesheets = re.findall(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheets, "no stylesheet with a hashed name on the home page"
    for encoding in ("br", "gzip"):
        response = visitor.ok(stylesheets[0], headers={"Accept-Encoding": encoding})
        assert response.header("Content-Encoding") == encoding
        assert "immutable" in response.header("Cache-Control")
        assert "max-age=315360000" in response.header("Cache-Control")
    login = visitor.ok("/admin/login/")
    admin_js = re.findall(r'src="(/static/wagtailadmin/js/[^"]+\.[0-9a-f]{12}\.js)"', login.text)
    assert admin_js, "Wagtail's scripts are not served with hashed names"
    assert visitor.ok(admin_js[0], headers={"Accept-Encoding": "br"}).header(
        "Content-Encoding"
    ) == ("br")
    assert visitor.get("/static/no-such-file.css").status == 404


# -- roles --------------------------------------------------------------------------------


def menu_urls(admin_html: str) -> list[str]:
    """Every link of the Wagtail sidebar (menu and submenus) the user is shown."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        admin_html,
        re.S,
    )
    assert match, "no Wagtail sidebar on the dashboard"
    urls: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url.startswith("/admin/") and "logout" not in url:
                urls.append(url)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return list(dict.fromkeys(urls))


# What each role must find in its menu (people/roles.py, */wagtail_hooks.py).
EXPECTED_MENU = {
    "admin": ["/admin/pages/", "/admin/records/import/", "/admin/certificates/"],
    "manager": ["/admin/snippets/courses/session/", "/admin/certificates/"],
    "hr.akimat": ["/admin/records/import/", "/admin/certificates/"],
    "hr.oral": ["/admin/records/import/", "/admin/certificates/"],
    "auditor": ["/admin/certificates/"],
}


@pytest.mark.parametrize("username", STAFF)
def test_staff_log_in_and_open_every_page_of_their_menu(stack, username):
    client = log_in_staff(stack, username)
    cookies = secure_cookies(client.history[-1].headers)
    assert "Secure" in cookies["sessionid"] and "HttpOnly" in cookies["sessionid"]
    dashboard = client.ok("/admin/")
    urls = menu_urls(dashboard.text)
    for expected in EXPECTED_MENU[username]:
        assert any(url.startswith(expected) for url in urls), (username, expected, urls)
    for url in urls:
        # A menu entry may redirect within the admin (the settings go to the site's own).
        response = client.follow(client.get(url))
        assert response.status == 200, f"{username}: {url} → {response!r}"
    if username == "auditor":  # read-only: no import screen
        assert client.get("/admin/records/import/").status in (302, 403)


def test_civil_servant_logs_in_and_opens_my_learning(stack):
    client = log_in_servant(stack, "servant", "ru")
    assert client.history[-1].location.endswith("/")
    my = client.ok("/ru/my/")
    assert "/ru/my/transcript.pdf" in my.text
    transcript = client.ok("/ru/my/transcript.pdf")
    assert transcript.header("Content-Type") == "application/pdf"
    assert transcript.body.startswith(b"%PDF")
    assert client.ok("/ru/my/transcript.csv").body
    client.ok("/ru/programmes/")
    # The back office is not for civil servants.
    assert client.get("/admin/").status in (302, 403)


# -- background work ----------------------------------------------------------------------


def read_mails(folder: Path) -> list[email.message.EmailMessage]:
    """The file backend's messages: one file per connection, messages separated by a line of
    79 dashes."""
    messages = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def open_session_for(stack: Stack, servant_id: int) -> tuple[int, str]:
    """A session a servant may enrol in today: scheduled, window open, free seats, no
    approval or audience rule, not yet requested by them."""
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Oral")).date()
    rows = stack.query(
        """
        SELECT s.id, p.code FROM courses_session s JOIN courses_programme p ON p.id = s.programme_id
        WHERE s.status = 'scheduled' AND p.live AND NOT p.requires_approval AND p.audience = ''
          AND COALESCE(s.enrolment_opens_on, s.starts_on - 30) <= %(today)s
          AND COALESCE(s.enrolment_closes_on, s.starts_on - 5) >= %(today)s
          AND s.capacity > (
              SELECT count(*) FROM enrolments_enrolment e
              WHERE e.session_id = s.id AND e.status IN ('enrolled', 'pending_approval'))
          AND NOT EXISTS (SELECT 1 FROM enrolments_enrolment e
                          WHERE e.session_id = s.id AND e.servant_id = %(servant)s)
        ORDER BY s.starts_on, s.id LIMIT 1
        """,
        {"today": today, "servant": servant_id},
    )
    assert rows, "seed_demo left no open session for the demo servant"
    return rows[0]


def test_enrolment_confirmation_is_sent_by_the_worker_in_the_servants_language(stack):
    assert "worker" not in stack.processes, "this test starts the worker itself"
    [(servant_id, address, language)] = stack.query(
        "SELECT s.id, s.email, s.preferred_language FROM people_civilservant s"
        " JOIN auth_user u ON u.id = s.user_id WHERE u.username = 'servant'"
    )
    session_id, code = open_session_for(stack, servant_id)
    # The servant browses in English; the e-mail follows their own language.
    client = log_in_servant(stack, "servant", "en")
    action = f"/en/sessions/{session_id}/enrol/"
    form = client.form(f"/en/programmes/{code}/", action=action)
    response = client.post(action, form.values())
    assert response.status == 302 and response.location.endswith("/en/my/"), response.text[:500]
    assert code in client.ok("/en/my/").text

    def mails_to_servant():
        return [m for m in read_mails(stack.mail_dir) if address in m["To"]]

    # The web process only queued the e-mail: with no worker running, nothing is sent.
    [(task_id, status, args, _workers)] = stack.tasks("enrolments.tasks.send_enrolment_email")
    assert status == "READY" and args["args"][1] == "enrolled"
    time.sleep(1)
    assert mails_to_servant() == []

    worker = stack.start_worker()
    stack.wait_for(
        "the worker to send the enrolment e-mail",
        lambda: stack.query(
            "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE id = %s AND status = %s",
            [task_id, "SUCCESSFUL"],
        ),
    )
    [mail] = mails_to_servant()
    with translation.override(language):
        subject_start = translation.gettext("You are enrolled: %(title)s").split("%(")[0]
    assert mail["Subject"].startswith(subject_start), (language, mail["Subject"])
    assert mail["Content-Language"] == language
    assert f"/{language}/my/" in mail.get_content()
    assert "Starting worker" in worker.log.read_text()


def pending_certificates_by_session(stack: Stack) -> tuple[int, int]:
    rows = stack.query(
        """
        SELECT e.session_id, count(*) FROM enrolments_qualificationrecord r
        JOIN enrolments_enrolment e ON e.id = r.enrolment_id
        WHERE r.is_current AND NOT EXISTS
            (SELECT 1 FROM certificates_certificate c WHERE c.record_id = r.id)
        GROUP BY e.session_id ORDER BY count(*) DESC, e.session_id LIMIT 1
        """
    )
    assert rows, "seed_demo left no finished session with completed results"
    return rows[0]


def test_manager_issues_a_sessions_certificates_in_the_background(stack):
    stack.start_worker()
    session_id, pending = pending_certificates_by_session(stack)
    client = log_in_staff(stack, "manager")
    # Certificates are offered for sessions that have run (the list opens on those to come).
    sessions = client.ok("/admin/snippets/courses/session/?phase=finished")
    assert "/admin/certificates/sessions/" in sessions.text
    page = f"/admin/certificates/sessions/{session_id}/issue/"
    form = client.form(page, contains="csrfmiddlewaretoken")
    response = client.post(page, form.values())
    assert response.status == 302, response.text[:500]
    # The manager lands on the job's page, which follows the worker (core.jobs).
    job_page = urllib.parse.urlsplit(response.location).path
    assert "/admin/jobs/" in job_page, job_page
    client.follow(response)

    [(task_id, _status, args, _workers)] = stack.tasks(
        "certificates.tasks.issue_session_certificates"
    )
    assert args["args"][0] == session_id
    stack.wait_for(
        "the worker to issue the certificates",
        lambda: stack.query(
            "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE id = %s AND status = %s",
            [task_id, "SUCCESSFUL"],
        ),
        timeout=120,
    )
    certificates = stack.query(
        """
        SELECT c.id, c.serial, c.verification_code FROM certificates_certificate c
        JOIN enrolments_qualificationrecord r ON r.id = c.record_id
        JOIN enrolments_enrolment e ON e.id = r.enrolment_id
        WHERE e.session_id = %s ORDER BY c.serial
        """,
        [session_id],
    )
    assert len(certificates) == pending
    figures = json.loads(client.ok(job_page.rstrip("/") + "/status/").text)
    assert (figures["state"], figures["done"], figures["failed"]) == ("done", pending, 0), figures
    certificate_id, serial, code = certificates[0]
    assert serial in client.ok("/admin/certificates/").text
    pdf = client.ok(f"/admin/certificates/{certificate_id}/pdf/")
    assert pdf.header("Content-Type") == "application/pdf" and pdf.body.startswith(b"%PDF")
    archive = client.ok(f"/admin/certificates/sessions/{session_id}/zip/")
    assert archive.body.startswith(b"PK")
    # Anyone can check it by the code printed on it.
    assert serial in Client(stack.port).ok(f"/ru/verify/{code}/").text


def test_hr_officer_imports_a_file_after_the_preview(stack):
    source = ROOT / "docs" / "examples" / "servants.csv"
    iins = [line.split(",")[0] for line in source.read_text().splitlines()[1:] if line]
    assert stack.query("SELECT count(*) FROM people_civilservant WHERE iin = ANY(%s)", [iins]) == [
        (0,)
    ]
    client = log_in_staff(stack, "hr.oral")
    page = "/admin/records/import/"
    form = client.form(page, contains="csrfmiddlewaretoken")
    preview = client.post(
        page,
        form.values(resource="servants"),
        files={"import_file": (source.name, source.read_bytes(), "text/csv")},
    )
    assert preview.status == 200, preview
    [confirm] = [f for f in forms_in(preview.text) if f.get("import_file_name")]
    # Nothing is written before the confirmation.
    assert stack.query("SELECT count(*) FROM people_civilservant WHERE iin = ANY(%s)", [iins]) == [
        (0,)
    ]
    done = client.post(page, confirm.values(confirm="1"))
    assert done.status == 302, done.text[:1000]
    client.follow(done)
    rows = stack.query(
        "SELECT a.code FROM people_civilservant s JOIN people_agency a ON a.id = s.agency_id"
        " WHERE s.iin = ANY(%s)",
        [iins],
    )
    assert sorted(rows) == [("akimat-oral",)] * len(iins)


def test_page_edit_runs_wagtails_background_jobs_through_the_worker(stack):
    stack.start_worker()
    [(page_id,)] = stack.query(
        "SELECT p.id FROM wagtailcore_page p JOIN wagtailcore_locale l ON l.id = p.locale_id"
        " WHERE p.slug = 'about' AND l.language_code = 'ru'"
    )
    [(started,)] = stack.query("SELECT now()")
    client = log_in_staff(stack, "admin")
    edit = f"/admin/pages/{page_id}/edit/"
    form = client.form(edit, action=edit)
    title = f"О филиале smoketest{int(time.time())}"
    response = client.post(edit, form.values(title=title, **{"action-publish": "action-publish"}))
    assert response.status == 302, response.text[:2000]
    client.follow(response)
    assert title in Client(stack.port).ok("/ru/about/").text

    # Wagtail 8's own jobs (django_tasks) went to the same queue and the worker ran them.
    def done(path):
        rows = [r for r in stack.tasks(path, since=started) if r[2]["args"][-1] == str(page_id)]
        return rows if rows and all(r[1] == "SUCCESSFUL" for r in rows) else None

    for job in (
        "wagtail.tasks.update_reference_index_task",
        "modelsearch.tasks.insert_or_update_object_task",
    ):
        stack.wait_for(job, lambda job=job: done(job))
    word = title.split()[-1]
    found = client.ok(f"/admin/pages/search/?q={word}")
    assert f"/admin/pages/{page_id}/edit/" in found.text


# -- the database goes away ---------------------------------------------------------------


def test_database_down_answers_a_plain_503_and_recovers(stack):
    # The worker is stopped first: it exits on a lost database (systemd restarts it).
    worker = stack.processes.get("worker")
    if worker is not None:
        assert worker.stop() == 0, tail(worker.log)
    visitor = Client(stack.port)
    visitor.ok("/ru/")  # a kept database connection in at least one web worker
    stack.allow_connections(False)
    try:
        for _ in range(4):  # both gunicorn workers, kept and new connections
            health = visitor.get("/healthz", expect_5xx=True)
            assert health.status == 503, health
            assert json.loads(health.body) == {
                "status": "error",
                "database": "unreachable (OperationalError)",
            }
        for path in ("/ru/", "/kk/programmes/", "/admin/login/"):
            page = visitor.get(path, expect_5xx=True)
            assert page.status == 503, page
            assert page.header("Content-Type").startswith("text/plain")
            assert page.header("Retry-After")
            assert "Traceback" not in page.text and len(page.text) < 300, page.text
    finally:
        stack.allow_connections(True)
    stack.wait_for("/healthz to recover", lambda: visitor.get("/healthz").status == 200)
    visitor.ok("/ru/")


def test_no_server_errors_or_tracebacks_in_the_logs(stack, capsys):
    with capsys.disabled():
        print("\nsmoke test phases:", ", ".join(f"{k} {v:.1f}s" for k, v in stack.timings.items()))
    for name in ("gunicorn", "worker"):
        log = stack.logs / f"{name}.log"
        if log.exists():
            assert "Traceback" not in log.read_text(errors="replace"), f"{name}:\n{tail(log, 80)}"
    access = (stack.logs / "access.log").read_text()
    statuses = re.findall(r'" (\d{3}) ', access)
    assert statuses, "nothing in the access log"
    assert not [s for s in statuses if s.startswith("5") and s != "503"], access[-3000:]
