"""Concurrent enrolment over real HTTP: 50 clients ask for 20 seats at the same moment.

Run against a throwaway PostgreSQL (DATABASE_URL is set by the wrapper):

    scripts/with-postgres.sh .venv/bin/python benchmarks/enrol_load.py [--rounds 5] [--json FILE]

What it does:
1. production settings (config.settings.production) configured through environment variables
   only: a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, WAGTAILADMIN_BASE_URL,
   SECURE_SSL_REDIRECT=0, STATIC_ROOT/MEDIA_ROOT in a temporary folder; `migrate` and
   `collectstatic` (ManifestStaticFilesStorage needs its manifest);
2. 50 civil servants with logins, one programme and one session per round (capacity 20,
   enrolment window open today);
3. a real server: `gunicorn config.wsgi -w 4 --threads 1 -b 127.0.0.1:PORT` (sync workers);
4. every client is logged in (a server-side session by default, or the real login form with
   --login-form), loads the programme page to get its CSRF token, then all 50 POST
   /ru/sessions/<id>/enrol/ at the same moment (threading.Barrier); repeated for --rounds
   sessions for a steadier figure;
5. each client then loads My learning a few times, and GET /healthz is measured the same way
   as a raw baseline of this server and this client on this machine.

Requests carry `X-Forwarded-Proto: https` as the TLS-terminating proxy would set it
(SECURE_PROXY_SSL_HEADER), so the secure session/CSRF cookies and the HTTPS CSRF checks apply
exactly as in production; cookies are sent by the client explicitly.

Options: --rounds N (races, default 5), --repeat N (GETs per client in the later phases),
--workers/--threads (gunicorn, default 4/1), --conn-max-age N (DB_CONN_MAX_AGE for the server;
default: unset, i.e. the production default 0), --login-form, --json FILE, --strict.

Traffic goes to 127.0.0.1 only. The server is stopped at the end, also on failure.
Exit status: 0 when every round ends with exactly CAPACITY enrolled, the rest waitlisted and no
errors; 1 otherwise; 2 for a setup problem. Throughput targets are reported, and only gate the
exit status with --strict (3).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# This script's folder holds import_export.py (a benchmark), which would hide the
# django-import-export package: this script needs nothing from that folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

HOST = "127.0.0.1"
LANG = "ru"
TARGET_RPS = 100.0
TARGET_RATIO = 0.5  # of the /healthz baseline, same server, same clients, same run
# Two cores: four synchronous workers (gunicorn's 2 × cores), one request each. Threads in a
# worker share its GIL: for this CPU-bound app they add switching, not throughput.
WORKERS, THREADS = 4, 1


# -- results --------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    client_cpu: float = 0.0  # CPU seconds this process (the 50 client threads) used
    server_cpu: float | None = None  # CPU seconds of the gunicorn workers (Linux /proc)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 4),
            "requests_per_second": round(self.rps, 1),
            "latency_ms_p50": round(self.pct(0.5), 1),
            "latency_ms_p95": round(self.pct(0.95), 1),
            "client_cpu_seconds": round(self.client_cpu, 3),
            "server_cpu_seconds": None if self.server_cpu is None else round(self.server_cpu, 3),
            "error_samples": self.error_samples[:5],
        }


# -- environment and data --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def configure_environment(port: int, tmp: Path, conn_max_age: int | None) -> None:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!@#%^*"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        }
    )
    if conn_max_age is not None:
        os.environ["DB_CONN_MAX_AGE"] = str(conn_max_age)


@dataclass
class Client:
    username: str
    user_id: int
    servant_id: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""


def create_data(*, clients: int, capacity: int, rounds: int, password: str, tag: str):
    """Servants with logins, a programme, one session per round. Plain ORM: this is fixture
    data for the benchmark, not a user action."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from core import authorization as roles
    from core.iin import make_bin, make_iin
    from courses.models import Programme, ProgrammeFormat, ProgrammeKind, Session, SessionLanguage
    from people.models import Agency, CivilServant, Position

    rng = random.Random(tag)
    User = get_user_model()
    today = timezone.localdate()
    with transaction.atomic():
        agency = Agency.objects.create(
            bin=make_bin(rng),
            code=f"bench-{tag}",
            name_kk=f"Бенчмарк органы {tag}",
            name_ru=f"Орган для нагрузочного теста {tag}",
            name_en=f"Benchmark body {tag}",
        )
        position = Position.objects.create(
            agency=agency,
            title_kk="Бас маман",
            title_ru="Главный специалист",
            title_en="Chief specialist",
            category="C-O-5",
        )
        group, _ = Group.objects.get_or_create(name=roles.CIVIL_SERVANTS)
        hashed = make_password(password)  # one hash for all: hashing 50 times is not the point
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-{tag}-{i:03d}",
                    email=f"bench-{tag}-{i:03d}@example.kz",
                    password=hashed,
                )
                for i in range(clients)
            ]
        )
        group.user_set.add(*users)
        iins: set[str] = set()
        while len(iins) < clients:
            iins.add(make_iin(rng))
        servants = [
            CivilServant.objects.create(
                iin=iin,
                last_name=f"Тестов{i}",
                first_name="Ерлан",
                email=f"bench-{tag}-{i:03d}@example.kz",
                agency=agency,
                position=position,
                appointed_on=datetime.date(2020, 1, 15),
                first_appointed_on=datetime.date(2015, 3, 1),
                user=user,
            )
            for i, (iin, user) in enumerate(zip(sorted(iins), users, strict=True))
        ]
        programme = Programme.objects.create(
            code=f"BENCH-{tag.upper()}",
            title_kk="Мемлекеттік қызметтегі этика (жүктеме сынағы)",
            title_ru="Этика государственной службы (нагрузочный тест)",
            title_en="Civil service ethics (load test)",
            kind=ProgrammeKind.QUALIFICATION_UPGRADE,
            academic_hours=36,
            format=ProgrammeFormat.IN_PERSON,
            live=True,
        )
        sessions = [
            Session.objects.create(
                programme=programme,
                starts_on=today + datetime.timedelta(days=10 + 7 * r),
                ends_on=today + datetime.timedelta(days=12 + 7 * r),
                enrolment_opens_on=today - datetime.timedelta(days=1),
                enrolment_closes_on=today + datetime.timedelta(days=5),
                language=SessionLanguage.RUSSIAN,
                capacity=capacity,
                location_ru="г. Уральск, филиал Академии",
            )
            for r in range(rounds)
        ]
    for session in sessions:
        assert session.window_is_open(today), "the benchmark session's window must be open"
    clients_ = [
        Client(username=u.username, user_id=u.pk, servant_id=s.pk)
        for u, s in zip(users, servants, strict=True)
    ]
    return clients_, programme, sessions


def server_side_login(clients: list[Client]) -> None:
    """What django.contrib.auth.login() stores, written straight into the session store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    backends = list(settings.AUTHENTICATION_BACKENDS)
    model_backend = "django.contrib.auth.backends.ModelBackend"
    backend = model_backend if model_backend in backends else backends[0]
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    users = get_user_model().objects.in_bulk([c.user_id for c in clients])
    for client in clients:
        user = users[client.user_id]
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key


# -- the server ------------------------------------------------------------------------------


def _die_with_parent() -> None:  # runs in the child before exec (Linux only)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    def __init__(self, port: int, log_path: Path, *, workers: int, threads: int):
        self.port = port
        self.workers, self.threads = workers, threads
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "-w", str(self.workers), "--threads", str(self.threads), "-b", f"{HOST}:{self.port}",
            "--no-control-socket", "--graceful-timeout", "5", "--log-level", "warning",
        ]  # fmt: skip
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # graceful: in-flight requests finish
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: master + workers
                self.proc.wait(timeout=5)
        if getattr(self, "log", None):
            self.log.close()

    def cpu_seconds(self) -> float | None:
        """user+system CPU of the master and its workers so far (Linux), else None."""
        if self.proc is None or not Path(f"/proc/{self.proc.pid}").exists():
            return None
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            ticks = 0
            for pid in [self.proc.pid, *map(int, children.split())]:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
            return ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def log_tail(self, lines: int = 30) -> str:
        if getattr(self, "log", None) is None:  # the server never started: no log to show
            return ""
        with contextlib.suppress(OSError):
            self.log.flush()
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


# -- the client ------------------------------------------------------------------------------


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Http:
    """One keep-alive connection to the server, behind the (simulated) TLS proxy."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def connect(self) -> None:
        self.conn.connect()

    def close(self) -> None:
        self.conn.close()

    def request(
        self, method: str, path: str, *, cookies: dict[str, str], body: str = "", referer: str = ""
    ) -> tuple[int, dict[str, str], list[str], bytes]:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "ru"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = referer or self.origin + "/"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body or None, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed; only idempotent requests retry.
                self.conn.close()
                if method != "GET" or attempt == 2:
                    raise
        set_cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, dict(response.headers), set_cookies, data


def cookie_values(set_cookies: list[str]) -> dict[str, str]:
    values = {}
    for header in set_cookies:
        name, _, rest = header.partition("=")
        values[name.strip()] = rest.split(";", 1)[0].strip()
    return values


def _no_probe() -> float | None:
    return None


server_cpu_probe = _no_probe  # set to Server.cpu_seconds once the server runs


def run_concurrently(phase: Phase, n: int, work, *, barrier_setup=None) -> list:
    """Run work(i, state) in n threads released together by a barrier. Sets the phase's wall
    time (release to last answer) and CPU use. barrier_setup(i), if given, runs before the
    barrier (e.g. connecting) and returns the state."""
    barrier = threading.Barrier(n + 1, timeout=60)
    results: list = [None] * n
    ends = [0.0] * n

    def target(i: int) -> None:
        state, failed = None, None
        try:
            state = barrier_setup(i) if barrier_setup else None
        except Exception as exc:  # e.g. cannot connect: an error of this client, not a hang
            failed = exc
        barrier.wait()
        try:
            if failed is not None:
                raise failed
            results[i] = work(i, state)
        except Exception as exc:  # recorded per request; never kills the run
            results[i] = exc
        ends[i] = time.perf_counter()

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start, cpu_start, server_start = time.perf_counter(), time.process_time(), server_cpu_probe()
    for thread in threads:
        thread.join(timeout=120)
    phase.seconds = max(ends) - start
    phase.client_cpu = time.process_time() - cpu_start
    server_end = server_cpu_probe()
    if server_start is not None and server_end is not None:
        phase.server_cpu = server_end - server_start
    return results


def fetch_csrf(clients: list[Client], port: int, programme_path: str) -> Phase:
    from django.conf import settings

    phase = Phase("GET programme page (CSRF token)")

    def work(i: int, http: Http):
        client = clients[i]
        t0 = time.perf_counter()
        status, _h, set_cookies, body = http.request("GET", programme_path, cookies=client.cookies)
        latency = time.perf_counter() - t0
        http.close()
        client.cookies.update(cookie_values(set_cookies))
        tokens = CSRF_INPUT.findall(body.decode("utf-8", "replace"))
        if status != 200 or settings.CSRF_COOKIE_NAME not in client.cookies or not tokens:
            return latency, f"{client.username}: HTTP {status}, CSRF token not found"
        client.csrf_token = tokens[0]
        return latency, None

    results = run_concurrently(phase, len(clients), work, barrier_setup=lambda i: Http(port))
    _collect(phase, results)
    return phase


def login_with_form(clients: list[Client], port: int, password: str) -> Phase:
    """The real login form, one POST per client (PBKDF2 makes this slow by design)."""
    phase = Phase("login form (GET + POST)")
    path = f"/{LANG}/accounts/login/"

    def work(i: int, http: Http):
        client = clients[i]
        t0 = time.perf_counter()
        status, _h, set_cookies, body = http.request("GET", path, cookies=client.cookies)
        client.cookies.update(cookie_values(set_cookies))
        token = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if status != 200 or not token:
            return time.perf_counter() - t0, f"{client.username}: login page HTTP {status}"
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": client.username,
                "password": password,
                "next": f"/{LANG}/my/",
            }
        )
        status, headers, set_cookies, _b = http.request(
            "POST", path, cookies=client.cookies, body=form, referer=http.origin + path
        )
        http.close()
        client.cookies.update(cookie_values(set_cookies))
        latency = time.perf_counter() - t0
        if status != 302:
            return latency, f"{client.username}: login POST HTTP {status}"
        return latency, None

    results = run_concurrently(phase, len(clients), work, barrier_setup=lambda i: Http(port))
    _collect(phase, results, per_request=2)
    return phase


def enrol_round(clients: list[Client], port: int, session, programme_path: str) -> Phase:
    phase = Phase(f"POST enrol, session {session.pk}")
    path = f"/{LANG}/sessions/{session.pk}/enrol/"
    success = f"/{LANG}/my/"

    def connect(i: int) -> Http:
        http = Http(port)
        http.connect()  # the TCP handshake is not part of the race
        return http

    def work(i: int, http: Http):
        client = clients[i]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": client.csrf_token})
        t0 = time.perf_counter()
        status, headers, _c, _b = http.request(
            "POST", path, cookies=client.cookies, body=body, referer=http.origin + programme_path
        )
        latency = time.perf_counter() - t0
        http.close()
        location = urllib.parse.urlsplit(headers.get("Location", "")).path
        if status != 302 or location != success:
            return latency, f"{client.username}: HTTP {status} → {location or '-'}"
        return latency, None

    results = run_concurrently(phase, len(clients), work, barrier_setup=connect)
    _collect(phase, results)
    return phase


def get_loop(
    clients: list[Client], port: int, path: str, repeat: int, name: str, check=None
) -> Phase:
    """Every client GETs `path` `repeat` times on one keep-alive connection, all at once."""
    phase = Phase(name)

    def connect(i: int) -> Http:
        http = Http(port)
        http.connect()
        return http

    def work(i: int, http: Http):
        client = clients[i]
        out = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            try:
                status, _h, _c, body = http.request("GET", path, cookies=client.cookies)
            except Exception as exc:
                out.append((time.perf_counter() - t0, f"{client.username}: {exc!r}"))
                http = Http(port)
                continue
            latency = time.perf_counter() - t0
            problem = None
            if status != 200:
                problem = f"{client.username}: HTTP {status}"
            elif check is not None:
                problem = check(i, body)
            out.append((latency, problem))
        http.close()
        return out

    results = run_concurrently(phase, len(clients), work, barrier_setup=connect)
    flat: list = []
    for result in results:
        flat.extend(result if isinstance(result, list) else [result])
    _collect(phase, flat)
    return phase


def _collect(phase: Phase, results: list, per_request: int = 1) -> None:
    for result in results:
        phase.requests += per_request
        if isinstance(result, BaseException) or result is None:
            phase.errors += 1
            phase.error_samples.append(repr(result))
            continue
        latency, problem = result
        phase.latencies.append(latency)
        if problem:
            phase.errors += 1
            phase.error_samples.append(problem)


# -- checks and report -----------------------------------------------------------------------


def counts_for(session) -> dict[str, int]:
    from django.db.models import Count

    from enrolments.models import Enrolment

    rows = Enrolment.objects.filter(session=session).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    per_servant = (
        Enrolment.objects.filter(session=session)
        .values("servant")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    counts["_duplicates"] = per_servant
    return counts


def main(argv: list[str] | None = None) -> int:
    global server_cpu_probe
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=5, help="enrolment races, each on a fresh session (default 5)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=10,
        help="GETs per client for My learning and the /healthz baseline",
    )
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help=f"gunicorn -w (default {WORKERS})"
    )
    parser.add_argument(
        "--threads", type=int, default=THREADS, help=f"gunicorn --threads (default {THREADS})"
    )
    parser.add_argument(
        "--login-form",
        action="store_true",
        help="log in through the login form instead of server-side sessions",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DB_CONN_MAX_AGE for the server (default: the production default)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--strict", action="store_true", help="exit 3 when a throughput target is missed"
    )
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(
            "DATABASE_URL must point to PostgreSQL; run through scripts/with-postgres.sh.",
            file=sys.stderr,
        )
        return 2

    for sig in (signal.SIGTERM, signal.SIGHUP):  # so that `finally` stops the server
        signal.signal(sig, lambda signum, frame: sys.exit(128 + signum))

    tmp = Path(tempfile.mkdtemp(prefix="biliktilik-bench-"))
    port = free_port()
    configure_environment(port, tmp, args.conn_max_age)
    server = Server(port, tmp / "gunicorn.log", workers=args.workers, threads=args.threads)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        tag = secrets.token_hex(3)
        password = secrets.token_urlsafe(16)
        clients, programme, sessions = create_data(
            clients=args.clients,
            capacity=args.capacity,
            rounds=args.rounds,
            password=password,
            tag=tag,
        )
        if not args.login_form:
            server_side_login(clients)
        connection.close()  # the server does the work from here on
        setup_seconds = time.perf_counter() - t0

        server.start()
        server_cpu_probe = server.cpu_seconds
        programme_path = f"/{LANG}/programmes/{programme.code}/"
        phases: list[Phase] = []
        # Warm every worker (imports, templates, connections) before anything is timed.
        get_loop(clients, port, "/healthz", 2, "warm-up")
        if args.login_form:
            phases.append(login_with_form(clients, port, password))
        phases.append(fetch_csrf(clients, port, programme_path))

        rounds = []
        for session in sessions:
            phase = enrol_round(clients, port, session, programme_path)
            counts = counts_for(session)
            connection.close()
            rounds.append((phase, counts))

        def shows_learning(i: int, body: bytes) -> str | None:
            return None if b"data-enrolment=" in body else f"{clients[i].username}: no enrolments"

        my_learning = get_loop(
            clients, port, f"/{LANG}/my/", args.repeat, "GET My learning", check=shows_learning
        )
        baseline = get_loop(clients, port, "/healthz", args.repeat, "GET /healthz (baseline)")
        phases += [my_learning, baseline]
    except Exception as exc:
        print(f"benchmark failed: {exc!r}", file=sys.stderr)
        tail = server.log_tail()
        if tail:
            print(f"--- gunicorn log (last lines) ---\n{tail}", file=sys.stderr)
        return 2
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    # -- report --------------------------------------------------------------------------------
    n, capacity = args.clients, args.capacity
    want_enrolled, want_waitlisted = capacity, n - capacity
    enrol_requests = sum(p.requests for p, _ in rounds)
    enrol_seconds = sum(p.seconds for p, _ in rounds)
    enrol_errors = sum(p.errors for p, _ in rounds)
    enrol_rps = enrol_requests / enrol_seconds if enrol_seconds else 0.0
    first_rps = rounds[0][0].rps
    counts_ok = all(
        c.get("enrolled", 0) == want_enrolled
        and c.get("waitlisted", 0) == want_waitlisted
        and sum(v for k, v in c.items() if not k.startswith("_")) == n
        and c["_duplicates"] == 0
        for _, c in rounds
    )
    errors_ok = enrol_errors == 0 and all(p.errors == 0 for p in phases)

    def ok(flag: bool) -> str:
        return "met" if flag else "MISSED"

    total = Phase("enrol, all rounds")
    for p, _ in rounds:
        total.requests += p.requests
        total.errors += p.errors
        total.seconds += p.seconds
        total.latencies += p.latencies
        total.client_cpu += p.client_cpu
        if p.server_cpu is not None:
            total.server_cpu = (total.server_cpu or 0.0) + p.server_cpu

    def row(p: Phase, counts: dict | None = None) -> str:
        server_ms = f"{1000 * p.server_cpu / p.requests:.1f}" if p.server_cpu else "-"
        client_pct = f"{100 * p.client_cpu / p.seconds:.0f}%" if p.seconds else "-"
        line = (
            f"{p.name:<34}{p.requests:>6}{p.seconds:>8.3f}{p.rps:>8.1f}{p.pct(0.5):>8.1f}"
            f"{p.pct(0.95):>8.1f}{p.errors:>7}{server_ms:>11}{client_pct:>8}"
        )
        if counts is not None:
            line += f"{counts.get('enrolled', 0):>9}{counts.get('waitlisted', 0):>11}"
        return line

    print()
    print("Concurrent enrolment over HTTP — PostgreSQL, config.settings.production,")
    print(
        f"gunicorn config.wsgi -w {args.workers} --threads {args.threads} on {HOST}:{port}; "
        f"client and server on this machine ({os.cpu_count()} CPUs)"
    )
    print(
        f"{n} clients, capacity {capacity}, {args.rounds} round(s), "
        f"login: {'login form' if args.login_form else 'server-side sessions'}, "
        f"DB_CONN_MAX_AGE={os.environ.get('DB_CONN_MAX_AGE', '0 (production default)')}, "
        f"setup {setup_seconds:.1f} s"
    )
    print("(srv ms/req: gunicorn CPU per request; client CPU: this process, % of one core)")
    print()
    print(
        f"{'phase':<34}{'req':>6}{'seconds':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'errors':>7}{'srv ms/req':>11}{'client':>8}{'enrolled':>9}{'waitlisted':>11}"
    )
    for p in phases[:-2]:
        print(row(p))
    for i, (p, c) in enumerate(rounds, start=1):
        p.name = f"enrol round {i} ({n} at once)"
        print(row(p, c))
    print(row(total))
    for p in phases[-2:]:
        print(row(p))
    base_rps = baseline.rps
    print()
    if base_rps:
        print(
            f"ratio to the /healthz baseline ({base_rps:.0f} req/s): "
            f"enrol {enrol_rps / base_rps:.2f}, My learning {my_learning.rps / base_rps:.2f}"
        )
    for _, c in rounds:
        extra = {k: v for k, v in c.items() if k not in ("enrolled", "waitlisted") and v}
        if extra:
            print(f"unexpected rows: {extra}")
    for p in [*phases, *(p for p, _ in rounds)]:
        for sample in p.error_samples[:3]:
            print(f"error ({p.name}): {sample}")
    print()
    print("targets (DESIGN.md):")
    print(
        f"  exactly {want_enrolled} enrolled and {want_waitlisted} waitlisted in every round: "
        f"{ok(counts_ok)}"
    )
    print(
        f"  0 errors: {ok(errors_ok)} ({enrol_errors} in enrolment, "
        f"{sum(p.errors for p in phases)} elsewhere)"
    )
    print(
        f"  ≥ {TARGET_RPS:.0f} requests/s enrolling: {ok(enrol_rps >= TARGET_RPS)} "
        f"({enrol_rps:.1f} over all rounds; first round alone {first_rps:.1f})"
    )
    for name, rps in (("enrolling", enrol_rps), ("My learning", my_learning.rps)):
        ratio = rps / base_rps if base_rps else 0.0
        print(
            f"  ≥ {TARGET_RATIO}× the /healthz baseline {name}: "
            f"{ok(ratio >= TARGET_RATIO)} ({ratio:.2f}×)"
        )

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "benchmark": "enrol_load",
                    "clients": n,
                    "capacity": capacity,
                    "rounds": [{**p.as_dict(), "counts": dict(c)} for p, c in rounds],
                    "enrol_requests_per_second": round(enrol_rps, 1),
                    "phases": [p.as_dict() for p in phases],
                    "baseline_healthz_requests_per_second": round(base_rps, 1),
                    "counts_ok": counts_ok,
                    "errors_ok": errors_ok,
                    "target_rps_met": enrol_rps >= TARGET_RPS,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    if not (counts_ok and errors_ok):
        return 1
    if args.strict and enrol_rps < TARGET_RPS:
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
