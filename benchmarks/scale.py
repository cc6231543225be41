"""National scale: the pages and batch jobs people use most, on 100,000 civil servants and
~1,000,000 enrolments made by `manage.py generate_scale_data`.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/scale.py [--servants 100000]
     [--requests 20]   (BENCH_SCALE_SERVANTS overrides the default N, for quick runs)
The data is generated once (not measured here; its time is printed) unless the database
already has civil servants, in which case it is used as it is (it must come from
generate_scale_data: the benchmark logs in as its scale.* users).

Measured, each phase in a fresh interpreter (the parent never imports Django), each figure
beside a raw baseline taken in the same run:
  pages        server time (Django's test Client, in-process, production-like settings) p50 /
               p95 over --requests requests of: the catalog, My learning (the civil servant
               with the most enrolments), and the admin lists an HR officer (the largest
               agency) and an academy manager use most: servants, enrolments, qualification
               records, certificates. Baseline: the same page's SQL (captured with
               CaptureQueriesContext) executed directly and fetched, p50; and /healthz.
  eligibility  `eligibility_report` for everyone (call_command, CSV to a file): seconds and
               peak RSS; baseline: the SELECTs it ran, executed directly and fetched.
  export       1M qualification records, `export_records records --format csv`'s streamed
               writer vs plain csv.writer over values_list().iterator() (the phases of
               benchmarks/import_export.py): rows/s and peak RSS.

Targets (DESIGN.md): catalog and My learning p50 ≤ 50 ms, the busiest admin lists p50 ≤
150 ms; export ≥ 0.7× csv.writer and ≤ 200 MB. Exit status 0 when a target is missed (it is
a benchmark); non-zero only when something breaks.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _django import Timer, memory_now, migrate, setup

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
PASSWORD_FREE_USERS = ("scale.servant", "scale.hr", "scale.manager")
PAGES = (  # label, login, path, target p50 ms
    ("catalog", None, "/kk/programmes/", 50),
    ("catalog, page 5", None, "/kk/programmes/?page=5", 50),
    ("My learning", "scale.servant", "/kk/my/", 50),
    ("admin servants (HR)", "scale.hr", "/admin/servants/", 150),
    ("admin enrolments (HR)", "scale.hr", "/admin/enrolments/", 150),
    ("admin records (HR)", "scale.hr", "/admin/records/", 150),
    ("admin certificates (HR)", "scale.hr", "/admin/certificates/", 150),
    ("admin servants (manager)", "scale.manager", "/admin/servants/", 150),
    ("admin enrolments (manager)", "scale.manager", "/admin/enrolments/", 150),
    ("admin records (manager)", "scale.manager", "/admin/records/", 150),
    ("admin certificates (manager)", "scale.manager", "/admin/certificates/", 150),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def selects(captured) -> list[str]:
    """The SELECTs among captured queries; a server-side cursor's DECLARE … FOR SELECT counts
    as its SELECT (its FETCH and CLOSE are dropped, and so are writes such as the session's)."""
    found = []
    for query in captured:
        sql = query["sql"].strip()
        head = sql[:8].upper()
        if head.startswith("DECLARE"):
            sql = sql.split(" FOR ", 1)[1]
        elif not head.startswith(("SELECT", "WITH")):
            continue
        found.append(sql)
    return found


def _fetch_all(sql_list: list[str]) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for sql in sql_list:
            cursor.execute(sql)
            if cursor.description is not None:
                while batch := cursor.fetchmany(5000):
                    rows += len(batch)
    return rows


# -- phases (each in its own interpreter) -------------------------------------------------


def phase_prepare(args, work: Path) -> dict:
    from django.db import connection

    from people.models import CivilServant

    migrate()
    generated = None
    if not CivilServant.objects.exists():
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "generate_scale_data",
             "--servants", str(args.servants), "--seed", "2026"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        print(result.stdout, end="", file=sys.stderr)
        generated = time.perf_counter() - started
    counts = {}
    from certificates.models import Certificate
    from enrolments.models import Enrolment, QualificationRecord
    from people.models import PerformanceRating

    for model in (CivilServant, Enrolment, QualificationRecord, Certificate, PerformanceRating):
        counts[model.__name__] = model.objects.count()
    size = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0] / 2**20
    return {"generated_seconds": generated, "counts": counts, "database_mb": size}


def phase_pages(args, work: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # lets the test Client's host in, as under pytest
    User = get_user_model()
    clients = {None: Client()}
    for username in PASSWORD_FREE_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client

    def timed(client, path: str, count: int) -> list[float]:
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        return times

    results = []
    health = timed(clients[None], "/healthz", args.requests)
    results.append(
        {"label": "/healthz", "p50": percentile(health, 0.5), "p95": percentile(health, 0.95)}
    )
    for label, login, path, target in PAGES:
        client = clients[login]
        timed(client, path, 2)  # warm: templates, caches, connection
        with CaptureQueriesContext(connection) as captured:
            timed(client, path, 1)
        queries = list(captured.captured_queries)  # a view of the log: later requests reset it
        sql = selects(queries)
        times = timed(client, path, args.requests)
        raw = []
        for _ in range(args.requests):
            started = time.perf_counter()
            _fetch_all(sql)
            raw.append((time.perf_counter() - started) * 1000)
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        results.append(
            {
                "label": label,
                "path": path,
                "queries": len(queries),
                "p50": percentile(times, 0.5),
                "p95": percentile(times, 0.95),
                "raw_p50": percentile(raw, 0.5),
                "target": target,
                "slowest_sql": slowest and slowest["sql"][:300],
                "slowest_ms": slowest and float(slowest["time"]) * 1000,
            }
        )
    return {"pages": results}


def phase_eligibility(args, work: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = work / "eligibility.csv"
    with CaptureQueriesContext(connection) as captured, Timer(False) as timer:
        call_command("eligibility_report", output=str(path))
    queries = list(captured.captured_queries)
    with open(path, encoding="utf-8") as handle:
        lines = sum(1 for _ in handle) - 1
    path.unlink()
    (work / "eligibility.sql.json").write_text(json.dumps(selects(queries)))
    return {"seconds": timer.seconds, "rows": lines, "queries": len(queries), **memory_now()}


def phase_eligibility_baseline(args, work: Path) -> dict:
    sql = json.loads((work / "eligibility.sql.json").read_text())
    with Timer(False) as timer:
        rows = _fetch_all(sql)
    return {"seconds": timer.seconds, "rows": rows, "queries": len(sql), **memory_now()}


def _export_phase(name: str):
    def phase(args, work: Path) -> dict:
        # Loaded by its path under another name: `import_export` is the library's name.
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "bench_import_export", Path(__file__).with_name("import_export.py")
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)(argparse.Namespace(profile=None), work)

    return phase


PHASES = {
    "prepare": phase_prepare,
    "pages": phase_pages,
    "eligibility": phase_eligibility,
    "eligibility_baseline": phase_eligibility_baseline,
    "export_baseline": _export_phase("phase_export_baseline"),
    "export": _export_phase("phase_export"),
}


def run_child(args) -> int:
    setup(os.environ.get("BENCH_SETTINGS", "config.settings.test"))
    result = PHASES[args.phase](args, Path(args.work))
    print(json.dumps(result, default=str))
    return 0


def child(args, phase: str) -> dict:
    command = [
        sys.executable, str(HERE), "--phase", phase, "--work", args.work,
        "--servants", str(args.servants), "--requests", str(args.requests),
    ]  # fmt: skip
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    sys.stderr.write(result.stderr[-4000:] if result.returncode else "")
    if result.returncode != 0:
        raise SystemExit(f"phase {phase} failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_parent(args) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
        args.work = work
        started = time.perf_counter()
        prepared = child(args, "prepare")
        print(f"data: {prepared['counts']}, database {prepared['database_mb'] or 0:.0f} MB")
        if prepared["generated_seconds"] is not None:
            seconds = prepared["generated_seconds"]
            print(f"generate_scale_data --servants {args.servants}: {seconds:.0f} s")
        pages = child(args, "pages")["pages"]
        eligibility = child(args, "eligibility")
        eligibility_raw = child(args, "eligibility_baseline")
        export_raw = child(args, "export_baseline")
        export = child(args, "export")
        export_raw2 = child(args, "export_baseline")
        export_raw = min(export_raw, export_raw2, key=lambda r: r["seconds"])

    rows = []  # figure, result, baseline, ratio, target, met

    def add(figure, result, baseline="", ratio="", target="", met=None):
        mark = "" if met is None else ("met" if met else "NOT met")
        rows.append((figure, result, baseline, ratio, target, mark))

    health = pages[0]
    add("/healthz (reference)", f"p50 {health['p50']:.1f} ms, p95 {health['p95']:.1f} ms")
    for page in pages[1:]:
        add(
            f"{page['label']} ({page['queries']} q)",
            f"p50 {page['p50']:.1f} ms, p95 {page['p95']:.1f} ms",
            f"SQL {page['raw_p50']:.1f} ms",
            f"{page['p50'] / max(page['raw_p50'], 0.001):.1f}×",
            f"p50 ≤ {page['target']} ms",
            page["p50"] <= page["target"],
        )
    add(
        f"eligibility_report, everyone ({eligibility['rows']:,} rows, {eligibility['queries']} q)",
        f"{eligibility['seconds']:.2f} s, peak {eligibility['peak_mb']:.0f} MB",
        f"SELECTs {eligibility_raw['seconds']:.2f} s ({eligibility_raw['rows']:,} rows)",
        f"{eligibility['seconds'] / eligibility_raw['seconds']:.1f}×",
        "≤ 10 s, ≤ 2× SELECTs, ≤ 300 MB",
        eligibility["seconds"] <= 10
        and eligibility["seconds"] <= 2 * eligibility_raw["seconds"]
        and eligibility["peak_mb"] <= 300,
    )
    export_rate = export["rows"] / export["seconds"]
    raw_rate = export_raw["rows"] / export_raw["seconds"]
    add(
        f"export records CSV ({export['rows']:,} rows)",
        f"{export_rate:,.0f} rows/s, peak {export['peak_mb']:.0f} MB",
        f"csv.writer {raw_rate:,.0f} rows/s",
        f"{export_rate / raw_rate:.2f}×",
        "≥ 0.7×, ≤ 200 MB",
        export_rate >= 0.7 * raw_rate and export["peak_mb"] <= 200,
    )
    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(6)]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)))
    print("\nslowest query per page:")
    for page in pages[1:]:
        print(f"  {page['label']}: {page['slowest_ms']:.1f} ms  {page['slowest_sql']}")
    print(f"\n(scale benchmark: {time.perf_counter() - started:.0f} s in all)")
    return 0


HEADER = ("figure", "result", "baseline", "ratio", "target", "met")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--servants", type=int, default=int(os.environ.get("BENCH_SCALE_SERVANTS", 100_000))
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--phase", choices=sorted(PHASES))
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.phase:
        return run_child(args)
    return run_parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
