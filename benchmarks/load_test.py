"""A bounded load test (locust) against the production stack that `make serve-prod` starts.

    make loadtest        (or: scripts/with-postgres.sh .venv/bin/python benchmarks/load_test.py)

1. starts `scripts/serve-prod.sh` on the throwaway PostgreSQL that DATABASE_URL names: migrate,
   collectstatic, seed_demo, gunicorn with production settings and the task worker;
2. adds what a crowd needs to the demo data (enrol_load's fixtures): USERS civil servants with
   logins (server-side sessions, so the test measures pages rather than password hashing), a
   programme with three sessions open for enrolment, and issued certificates to verify;
3. runs locust headless on 127.0.0.1 only, with a fixed number of users and a fixed duration
   (benchmarks/locustfile.py: catalog, programme pages, My learning, verification,
   enrol + withdraw), then GET /healthz alone with the same users as the raw baseline;
4. stops the stack (SIGINT, as Ctrl-C would) and prints p50/p95, requests/s and errors per
   request kind; fails on any failed request (locust counts every 4xx/5xx answer) or a
   traceback in the stack's output (gunicorn's error log and the worker print there).

Options: --users N (default 40), --seconds S (default 60), --json FILE.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _django  # noqa: E402,F401  (moves this folder behind django-import-export on sys.path)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PASSWORD = "load-test-password"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the stack stopped before it was ready (exit {process.returncode})")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f} s")


def prepare_data(*, users: int, secret_key: str, work: Path) -> Path:
    """Fixture data for the crowd: enrol_load's servants, programme and open sessions (plain
    ORM), plus qualification records with certificates issued by the certificate service."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["SECRET_KEY"] = secret_key  # session hashes must match the server's key
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from benchmarks.enrol_load import create_data, server_side_login
    from certificates.services import certificate_issue
    from courses.models import Programme
    from enrolments.models import QualificationRecord, RecordSource

    today = timezone.localdate()
    clients, programme, sessions = create_data(
        clients=users, capacity=max(1, users // 3), rounds=3, password=PASSWORD, tag="load"
    )
    server_side_login(clients)
    records = [
        QualificationRecord.objects.create(
            servant_id=client.servant_id,
            programme=programme,
            title=programme.title_ru,
            kind=programme.kind,
            provider="Филиал Академии государственного управления по ЗКО",
            hours=programme.academic_hours,
            completed_on=today - datetime.timedelta(days=30),
            valid_until=today + datetime.timedelta(days=3 * 365),
            source=RecordSource.MANUAL,
        )
        for client in clients[:10]
    ]
    codes = [certificate_issue(record=r, actor=None).verification_code for r in records]
    demo_codes = list(
        Programme.objects.filter(live=True).order_by("code").values_list("code", flat=True)[:20]
    )
    data = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "accounts": [
            {"session_key": client.cookies[settings.SESSION_COOKIE_NAME]} for client in clients
        ],
        "programme_codes": [*demo_codes, programme.code],
        "sessions": [{"id": s.pk, "programme_code": programme.code} for s in sessions],
        "verify_codes": codes,
    }
    path = work / "loadtest-data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_locust(*, host: str, data: Path, users: int, seconds: int, out: Path, locustfile: str):
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        locustfile,
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        str(out),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    env = {**os.environ, "LOADTEST_DATA": str(data)}
    subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=seconds + 120)
    with open(f"{out}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{out}_failures.csv", encoding="utf-8") as failed:
        failures = list(csv.DictReader(failed))
    return rows, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Run through scripts/with-postgres.sh (DATABASE_URL must name PostgreSQL).")
        return 2

    port = free_port()
    secret_key = secrets.token_urlsafe(64)
    work = Path(tempfile.mkdtemp(prefix="biliktilik-load-"))
    log = open(work / "stack.log", "w+", encoding="utf-8")  # noqa: SIM115 (read after the run)
    # Each simulated person is a client of their own behind the balancer (X-Forwarded-For), so
    # the verification page's rate limit per client applies to each, as in production.
    env = {
        **os.environ,
        "PORT": str(port),
        "SECRET_KEY": secret_key,
        "RATELIMIT_TRUST_FORWARDED_FOR": "1",
    }
    stack = subprocess.Popen(
        ["scripts/serve-prod.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_for(f"{base}/ru/programmes/", timeout=300, process=stack)
        data = prepare_data(users=args.users, secret_key=secret_key, work=work)
        rows, failures = run_locust(
            host=base,
            data=data,
            users=args.users,
            seconds=args.seconds,
            out=work / "mix",
            locustfile="benchmarks/locustfile.py",
        )
        baseline, _ = run_locust(
            host=base,
            data=data,
            users=args.users,
            seconds=max(15, args.seconds // 4),
            out=work / "healthz",
            locustfile="benchmarks/locustfile_healthz.py",
        )
    finally:
        os.killpg(stack.pid, signal.SIGINT)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
    log.seek(0)
    stack_log = log.read()

    print(f"\nLoad test: {args.users} users for {args.seconds} s against {base} (serve-prod)")
    print(f"{'request':<20}{'count':>8}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    report = []
    for row in rows + [r for r in baseline if r["Name"] != "Aggregated"]:
        name = row["Name"] if row in rows else f"{row['Name']} (baseline)"
        item = {
            "request": name,
            "count": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
        }
        report.append(item)
        print(
            f"{name:<20}{item['count']:>8}{item['errors']:>8}{item['rps']:>9.1f}"
            f"{item['p50_ms']:>9.0f}{item['p95_ms']:>9.0f}"
        )
    for failure in failures:
        print(f"  error: {failure['Method']} {failure['Name']}: {failure['Error']}"[:300])
    tracebacks = stack_log.count("Traceback")
    # The access log stays in serve-prod's folder; 4xx/5xx answers are locust's failures above.
    print(f"tracebacks in the stack's output: {tracebacks}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    errors = sum(item["errors"] for item in report)
    return 1 if errors or tracebacks else 0


if __name__ == "__main__":
    raise SystemExit(main())
