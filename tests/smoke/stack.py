"""The production stack of the smoke test: a fresh database, the real commands, real processes.

Everything runs as a subprocess with `config.settings.production` configured from environment
variables only, as an operator would (see docs/deployment.md). Each long-running process gets
its own process group so that a teardown can never leave a gunicorn worker behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from tests.smoke.client import HOST, Client

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def admin_connection(url: str) -> psycopg.Connection:
    """A connection to the cluster's maintenance database (CREATE/DROP DATABASE)."""
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM to the process group (a graceful stop), SIGKILL if it lingers."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        # Whatever is left in the group (a gunicorn worker whose master died, say).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)
        return self.popen.returncode


@dataclass
class Stack:
    tmp: Path
    cluster_url: str
    database: str = field(default_factory=lambda: f"smoke_{secrets.token_hex(4)}")
    port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)
    database_created: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self, phase: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings[phase] = time.monotonic() - started

    # -- environment ----------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return with_database(self.cluster_url, self.database)

    @property
    def mail_dir(self) -> Path:
        return self.tmp / "mail"

    @property
    def logs(self) -> Path:
        return self.tmp / "logs"

    def env(self) -> dict[str, str]:
        """What a real deployment sets (docs/deployment.md); nothing else is inherited."""
        if not hasattr(self, "_secret_key"):
            self._secret_key = secrets.token_urlsafe(64)
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": self._secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": self.database_url,
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}:{self.port}",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            # No mail server here: one file per message, written by whoever sends it.
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "LOG_LEVEL": "INFO",
        }

    # -- database -------------------------------------------------------------------------

    def create_database(self) -> None:
        with admin_connection(self.cluster_url) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        self.database_created = True

    def drop_database(self) -> None:
        if not self.database_created:
            return
        with admin_connection(self.cluster_url) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.database)
                )
            )
        self.database_created = False

    def allow_connections(self, allowed: bool) -> None:
        """Take the database away from the application (and give it back): new connections are
        refused and the open ones are cut, as when the server goes down."""
        with admin_connection(self.cluster_url) as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(self.database), sql.SQL("true" if allowed else "false")
                )
            )
            if not allowed:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [self.database],
                )

    def query(self, statement: str, params=()) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(statement, params).fetchall()

    # -- commands and processes -----------------------------------------------------------

    def manage(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess:
        """`manage.py ARGS` as the operator runs it; fails the test on a non-zero exit."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, (
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
        return result

    def spawn(self, name: str, args: list[str], *, env: dict[str, str] | None = None) -> Process:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole
        )
        handle.close()
        process = Process(name, popen, log)
        self.processes[name] = process
        return process

    def start_web(self, *, workers: int = 2) -> Process:
        process = self.spawn(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--access-logfile",
                str(self.logs / "access.log"),
            ],
        )
        self.wait_healthy(process)
        return process

    def wait_healthy(self, process: Process, timeout: float = 120) -> None:
        """Poll /healthz as the load balancer would: directly, over http, no proxy header."""
        probe = Client(self.port, proxy_https=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert process.alive(), f"{process.name} exited:\n{tail(process.log)}"
            with contextlib.suppress(OSError):
                if probe.get("/healthz", timeout=5, expect_5xx=True).status == 200:
                    return
            time.sleep(0.25)
        raise AssertionError(f"{process.name} not healthy after {timeout}s:\n{tail(process.log)}")

    def start_worker(self) -> Process:
        worker = self.processes.get("worker")
        if worker and worker.alive():
            return worker
        return self.spawn(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
        )

    def stop_all(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    # -- the task queue -------------------------------------------------------------------

    def tasks(self, path: str, since=None) -> list[tuple]:
        """(id, status, args_kwargs, worker_ids) of django_tasks_db's rows for a task."""
        statement = (
            "SELECT id, status, args_kwargs, worker_ids FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = %s"
        )
        params: list = [path]
        if since is not None:
            statement += " AND enqueued_at >= %s"
            params.append(since)
        return self.query(statement + " ORDER BY enqueued_at", params)

    def wait_for(self, what: str, check, timeout: float = 90, interval: float = 0.25):
        """Poll `check()` until it returns something true; fail naming `what`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            worker = self.processes.get("worker")
            if worker is not None:
                assert worker.alive(), f"the worker exited:\n{tail(worker.log)}"
            time.sleep(interval)
        raise AssertionError(f"timed out waiting for {what}")


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
