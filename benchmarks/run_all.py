"""`make bench`: run every benchmark in turn against the PostgreSQL cluster that
scripts/with-postgres.sh started (DATABASE_URL). Each benchmark gets a fresh database of its
own on that cluster (CREATE DATABASE bench_<name>; dropped afterwards), because several of them
refuse to run on a database that already has civil servants. Figures go to stdout;
docs/performance.md records them with the date and machine.

BENCH_ONLY=scale,eligibility runs a subset; BENCH_SCALE_SERVANTS sets the scale benchmark's N."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["certificates.py"],
    ["enrol_load.py"],
    ["import_export.py"],
    ["eligibility.py"],
    ["scale.py"],
    ["load_test.py"],  # starts `make serve-prod`'s stack on its own database
]


def database_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(database_url(url, parts.path.lstrip("/")), autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    base = os.environ.get("DATABASE_URL", "")
    postgres = base.startswith(("postgres://", "postgresql://"))
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
    failed = []
    for command in BENCHMARKS:
        name = command[0].removesuffix(".py")
        if only and name not in only:
            continue
        print(f"\n=== {' '.join(command)} ===", flush=True)
        env = dict(os.environ)
        database = f"bench_{name}"
        if postgres:
            admin(base, f'DROP DATABASE IF EXISTS "{database}"')
            admin(base, f'CREATE DATABASE "{database}"')
            env["DATABASE_URL"] = database_url(base, database)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(HERE / command[0]), *command[1:]], check=False, env=env
        )
        print(f"({command[0]}: {time.perf_counter() - started:.0f} s)", flush=True)
        if postgres:
            admin(base, f'DROP DATABASE IF EXISTS "{database}"')
        if result.returncode != 0:
            failed.append(command[0])
    if failed:
        print(f"\nbenchmarks that reported a problem: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
