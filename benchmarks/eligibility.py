"""Promotion eligibility speed: everyone of an agency in one batch, and one person at a time.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/eligibility.py
     [--servants 100000] [--sample 200] [--repeat 2] [--as-of YYYY-MM-DD] [--profile PHASE]
(also works on SQLite with DATABASE_URL=sqlite:////tmp/bench.sqlite3, more slowly: the data
is then made with bulk_create). It needs a database without civil servants or rule sets.

Data (not measured): one agency, 6 positions in C-O-3 / C-O-4 / E-R-3, N civil servants
(valid unique IINs, unique pseudonyms, first appointed 2005 – as-of), 4–8 consecutive
quarterly ratings each ending with the last complete quarter (~80 % effective, the rest
proper), 1–3 current imported qualification records each (upgrade / seminar / retraining,
8–120 hours, completed within the 4 years before as-of), rule set "bench" from 2024-01-01
and three QualificationRequirement rows (C-O-*, C-O-4 with years of service, E-*). On
PostgreSQL everything is INSERT … SELECT (generate_series / unnest) through the cursor.

Measured, each phase in a fresh interpreter (the parent never imports Django):
  batch     `eligibility_stream(agency=…, as_of=…)` for all N, each result counted and
            dropped as the report command does: seconds, SQL queries (CaptureQueriesContext)
            and their execute time, peak RSS;
  baseline  the same three SELECTs (servants, ratings, records: the SQL is compared with
            the engine's) iterated as values_list with no evaluation; batch / baseline is
            what the engine costs on top of fetching its rows;
  single    `eligibility_evaluate` for --sample random servants: mean / p95 ms per call and
            the queries per call (must be the same for everyone). Its results are compared
            with the batch's for the same servants.

Targets (DESIGN.md): batch for 100k ≤ 10 s on PostgreSQL with set-based queries (a constant
number, here ≤ 10); one person ≤ 10 ms (judged on p95) and a constant number of queries.
Issue "Production for real", item 7: the batch within 2× the raw baseline, and ≤ 300 MB peak
RSS for 100k (streamed, not held).
Exit status 0 when targets are missed (it is a benchmark); non-zero only when something breaks.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _django import Timer, memory_now, migrate, setup, status_mb

HERE = Path(__file__).resolve()
AGENCY_CODE = "bench-eligibility"
CATEGORIES = ("C-O-3", "C-O-4", "E-R-3")
TITLES = ("Главный специалист", "Ведущий специалист")
REQUIREMENTS = (  # pattern, min_hours, min_years_of_service
    ("C-O-*", 40, 0),
    ("C-O-4", 48, 3),
    ("E-*", 36, 0),
)
EFFECTIVE_SHARE = 0.8
LAST_NAMES = (
    "Құдайбергенова", "Сейітқали", "Жұмабаев", "Ахметова", "Нұрланов", "Иванова", "Петров",
    "Серікбаев", "Өмірзақова", "Тоқтаров", "Ким", "Қасымов", "Әбілова",
)  # fmt: skip
FIRST_NAMES = (
    "Әйгерім", "Ерлан", "Айгүл", "Нұрсұлтан", "Дана", "Асхат", "Мария", "Сергей", "Гүлнар",
    "Бауыржан", "Жанар", "Тимур", "Әлия", "Ольга",
)  # fmt: skip
MIDDLE_NAMES = ("Серікқызы", "Болатұлы", "Ивановна", "Қайратұлы", "Маратовна", "", "Ержанқызы")
RECORD_TITLES = (
    "Противодействие коррупции",
    "Цифровая трансформация госуправления",
    "Проектное управление, базовый курс",
    "Мемлекеттік тілде іс жүргізу",
    "Управление персоналом",
)
PROVIDERS = ("Академия государственного управления", "Филиал Академии по ЗКО")
KINDS = ("upgrade", "upgrade", "upgrade", "seminar", "seminar", "retraining")  # weighted


# -- measuring (in a child) --------------------------------------------------------------


def _as_of(args) -> datetime.date:
    return datetime.date.fromisoformat(args.as_of) if args.as_of else datetime.date.today()


def _agency():
    from people.models import Agency

    return Agency.objects.get(code=AGENCY_CODE)


def _sample_ids(args, agency) -> list[int]:
    """The servants the single phase evaluates (the batch phase reports the same ones)."""
    import random

    from people.models import CivilServant

    ids = list(
        CivilServant.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True)
    )
    return random.Random(20261127).sample(ids, min(args.sample, len(ids)))


def _sql_time(queries) -> float:
    return sum(float(q["time"]) for q in queries)


# -- data (not measured) -------------------------------------------------------------------


def _quarter_index(as_of: datetime.date) -> int:
    """year * 4 + (quarter - 1) of the last complete quarter before `as_of`."""
    return as_of.year * 4 + (as_of.month - 1) // 3 - 1


def _make_postgresql(args, agency, positions: list[int], iins: list[str], as_of) -> None:
    from django.db import connection

    from enrolments.models import QualificationRecord
    from people.models import CivilServant, PerformanceRating

    quote = connection.ops.quote_name
    servants = quote(CivilServant._meta.db_table)
    ratings = quote(PerformanceRating._meta.db_table)
    records = quote(QualificationRecord._meta.db_table)

    def array(values) -> str:
        return "ARRAY[" + ", ".join("%s" for _ in values) + "]"

    span = (as_of - datetime.date(2005, 1, 1)).days
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED (
                SELECT i.iin, i.n,
                       DATE '2005-01-01' + floor(random() * {span})::int AS first_day,
                       random() AS later
                FROM unnest(%s::text[]) WITH ORDINALITY AS i(iin, n)
            )
            INSERT INTO {servants} (iin, last_name, first_name, middle_name, email,
                preferred_language, agency_id, position_id, appointed_on, first_appointed_on,
                pseudonym, created_at, updated_at)
            SELECT s.iin,
                   ({array(LAST_NAMES)})[1 + (s.n * 7) %% {len(LAST_NAMES)}],
                   ({array(FIRST_NAMES)})[1 + (s.n * 11) %% {len(FIRST_NAMES)}],
                   ({array(MIDDLE_NAMES)})[1 + (s.n * 13) %% {len(MIDDLE_NAMES)}],
                   CASE WHEN s.n %% 2 = 0 THEN 'e' || s.n || '@zko.gov.kz' ELSE '' END,
                   'kk', %s,
                   ({array(positions)})[1 + (s.n * 17) %% {len(positions)}],
                   s.first_day + floor(s.later * (%s::date - s.first_day))::int,
                   s.first_day,
                   'P-E' || upper(lpad(to_hex(s.n), 11, '0')),
                   now(), now()
            FROM s
            """,
            [iins, *LAST_NAMES, *FIRST_NAMES, *MIDDLE_NAMES, agency.pk, *positions, as_of],
        )
        last = _quarter_index(as_of)
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED (
                SELECT id, 4 + floor(random() * 5)::int AS k FROM {servants} WHERE agency_id = %s
            ), q AS MATERIALIZED (
                SELECT s.id, {last} - (j - 1) AS idx, random() AS r
                FROM s CROSS JOIN LATERAL generate_series(1, s.k) AS j
            )
            INSERT INTO {ratings} (servant_id, year, quarter, rating, updated_at)
            SELECT id, idx / 4, idx %% 4 + 1,
                   CASE WHEN r < {EFFECTIVE_SHARE} THEN 'effective' ELSE 'proper' END, now()
            FROM q
            """,
            [agency.pk],
        )
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED (
                SELECT id, 1 + floor(random() * 3)::int AS k FROM {servants} WHERE agency_id = %s
            ), r AS MATERIALIZED (
                SELECT s.id, row_number() OVER (ORDER BY s.id, j) AS n,
                       %s::date - floor(random() * 1461)::int AS done,
                       random() AS a, random() AS b
                FROM s CROSS JOIN LATERAL generate_series(1, s.k) AS j
            )
            INSERT INTO {records} (uid, servant_id, title_ru, title_kk, title_en, kind,
                provider_ru, provider_kk, provider_en, hours, completed_on,
                valid_until, certificate_number, source, is_current, correction_reason,
                correction_basis, created_at, updated_at)
            SELECT 'el' || lpad(n::text, 14, '0'), id,
                   ({array(RECORD_TITLES)})[1 + n %% {len(RECORD_TITLES)}], '', '',
                   ({array(KINDS)})[1 + floor(a * {len(KINDS)})::int],
                   ({array(PROVIDERS)})[1 + n %% {len(PROVIDERS)}], '', '',
                   8 + floor(b * 113)::int,
                   done, (done + interval '3 years')::date,
                   CASE WHEN n %% 2 = 0 THEN 'ZKO-E' || lpad(n::text, 8, '0') ELSE '' END,
                   'import', true, '', '{{}}', now(), now()
            FROM r
            """,
            [agency.pk, as_of, *RECORD_TITLES, *KINDS, *PROVIDERS],
        )
        for table in (servants, ratings, records):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _make_bulk(args, agency, positions: list[int], iins: list[str], as_of) -> None:
    import random

    from django.db import transaction
    from django.utils import timezone

    from enrolments.models import QualificationRecord
    from people.models import CivilServant, PerformanceRating

    rng = random.Random(2026)
    span = (as_of - datetime.date(2005, 1, 1)).days
    now = timezone.now()
    with transaction.atomic():
        made = []
        for n, iin in enumerate(iins, 1):
            first = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(span))
            made.append(
                CivilServant(
                    iin=iin,
                    last_name=LAST_NAMES[n * 7 % len(LAST_NAMES)],
                    first_name=FIRST_NAMES[n * 11 % len(FIRST_NAMES)],
                    middle_name=MIDDLE_NAMES[n * 13 % len(MIDDLE_NAMES)],
                    email=f"e{n}@zko.gov.kz" if n % 2 == 0 else "",
                    agency=agency,
                    position_id=positions[n * 17 % len(positions)],
                    appointed_on=first
                    + datetime.timedelta(days=rng.randrange((as_of - first).days + 1)),
                    first_appointed_on=first,
                    pseudonym=f"P-E{n:011X}",
                )
            )
        CivilServant.objects.bulk_create(made, batch_size=2000)
        ids = CivilServant.objects.filter(agency=agency).order_by("pk").values_list("pk", flat=True)
        last = _quarter_index(as_of)
        rating_rows, record_rows, uid = [], [], 0
        for servant_id in ids:
            for j in range(rng.randint(4, 8)):
                idx = last - j
                rating = "effective" if rng.random() < EFFECTIVE_SHARE else "proper"
                rating_rows.append(
                    PerformanceRating(
                        servant_id=servant_id, year=idx // 4, quarter=idx % 4 + 1, rating=rating
                    )
                )
            for _j in range(rng.randint(1, 3)):
                uid += 1
                done = as_of - datetime.timedelta(days=rng.randrange(1461))
                record_rows.append(
                    QualificationRecord(
                        uid=f"el{uid:014d}",
                        servant_id=servant_id,
                        title=RECORD_TITLES[uid % len(RECORD_TITLES)],
                        kind=rng.choice(KINDS),
                        provider=PROVIDERS[uid % len(PROVIDERS)],
                        hours=rng.randint(8, 120),
                        completed_on=done,
                        valid_until=done.replace(year=done.year + 3, day=min(done.day, 28)),
                        source="import",
                        is_current=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
        PerformanceRating.objects.bulk_create(rating_rows, batch_size=5000)
        QualificationRecord.objects.bulk_create(record_rows, batch_size=5000)


def phase_prepare(args, work: Path) -> dict:
    import random

    from django.db import connection

    from core.iin import make_bin, make_iin
    from enrolments.models import QualificationRecord
    from people.models import Agency, CivilServant, PerformanceRating, Position
    from promotions.models import QualificationRequirement, RuleSet

    migrate()
    if CivilServant.objects.exists() or RuleSet.objects.exists():
        return {
            "refused": "the database already has civil servants or rule sets; run this on a "
            "throwaway database (scripts/with-postgres.sh)"
        }
    started = time.perf_counter()
    as_of = _as_of(args)
    rng = random.Random(20261127)
    agency = Agency.objects.create(
        code=AGENCY_CODE, bin=make_bin(rng), name_kk="Бенчмарк органы", name_ru="Орган (бенчмарк)"
    )
    positions = [
        Position.objects.create(agency=agency, title_ru=title, title_kk=title, category=category).pk
        for title in TITLES
        for category in CATEGORIES
    ]
    iins: set[str] = set()
    while len(iins) < args.servants:
        iins.add(make_iin(rng, female=rng.random() < 0.5))
    iin_list = sorted(iins, key=lambda _iin: rng.random())
    if connection.vendor == "postgresql":
        _make_postgresql(args, agency, positions, iin_list, as_of)
    else:
        _make_bulk(args, agency, positions, iin_list, as_of)
    rule = RuleSet.objects.create(
        version="bench",
        effective_from=datetime.date(2024, 1, 1),
        basis="Benchmark: 4 quarters, 3 years, 36 hours",
    )
    QualificationRequirement.objects.bulk_create(
        QualificationRequirement(
            rule_set=rule, category_pattern=pattern, min_years_of_service=years
        )
        for pattern, _hours, years in REQUIREMENTS
    )
    from enrolments.models import TrainingRequirement, TrainingRequirementCategory

    training = TrainingRequirement.objects.create(
        effective_from=rule.effective_from, basis=rule.basis
    )
    TrainingRequirementCategory.objects.bulk_create(
        TrainingRequirementCategory(requirement=training, category_pattern=pattern, min_hours=hours)
        for pattern, hours, _years in REQUIREMENTS
    )
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            vendor += " " + cursor.fetchone()[0].split()[0]
    return {
        "seconds": time.perf_counter() - started,
        "vendor": vendor,
        "servants": CivilServant.objects.filter(agency=agency).count(),
        "ratings": PerformanceRating.objects.filter(servant__agency=agency).count(),
        "records": QualificationRecord.objects.filter(servant__agency=agency).count(),
        "as_of": as_of.isoformat(),
    }


# -- phases (each runs in its own interpreter) -------------------------------------------


def phase_baseline(args, work: Path) -> dict:
    """The engine's three SELECTs, iterated as values_list, nothing built from the rows."""
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from core.dates import last_complete_quarters
    from enrolments.models import QualificationRecord
    from people.models import CivilServant, PerformanceRating
    from promotions.services import rule_set_on

    as_of = _as_of(args)
    agency = _agency()
    rule = rule_set_on(as_of)
    quarter_q = Q(pk__in=[])
    for year, quarter in last_complete_quarters(as_of, rule.consecutive_effective_quarters):
        quarter_q |= Q(year=year, quarter=quarter)
    servants_qs = CivilServant.objects.filter(agency=agency)
    selects = (
        servants_qs.values_list("pk", "position__category", "first_appointed_on"),
        PerformanceRating.objects.filter(quarter_q, servant__in=servants_qs)
        .order_by("servant_id", "-year", "-quarter")
        .values_list("servant_id", "year", "quarter", "rating"),
        QualificationRecord.objects.filter(
            servant__in=servants_qs, is_current=True, completed_on__lte=as_of
        )
        .order_by("servant_id", "-completed_on", "pk")
        .values_list(
            "servant_id",
            "kind",
            "hours",
            "completed_on",
            "valid_until",
            "programme__code",
            "title_ru",
            "uid",
        ),
    )
    rows = [0, 0, 0]
    with (
        CaptureQueriesContext(connection) as queries,
        Timer(args.profile == "baseline", top=30) as timer,
    ):
        for index, select in enumerate(selects):
            count = 0
            for _row in select:
                count += 1
            rows[index] = count
    return {
        "seconds": timer.seconds,
        "rows": rows,
        "sql_seconds": _sql_time(queries.captured_queries),
        "sql": [q["sql"] for q in queries.captured_queries],
        **memory_now(),
    }


def phase_batch(args, work: Path) -> dict:
    """The batch as the report command reads it: a stream, each result used and dropped."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotions.services import eligibility_stream

    as_of = _as_of(args)
    agency = _agency()
    wanted = set(_sample_ids(args, agency))
    failing: Counter = Counter()
    results = eligible = 0
    sample = {}
    with (
        CaptureQueriesContext(connection) as queries,
        Timer(args.profile == "batch", top=30) as timer,
    ):
        for r in eligibility_stream(agency=agency, as_of=as_of):
            results += 1
            eligible += r.eligible
            for c in r.criteria:
                if not c.met:
                    failing[c.code] += 1
            if r.servant_id in wanted:
                sample[str(r.servant_id)] = r.as_dict()
    memory = memory_now()
    return {
        "seconds": timer.seconds,
        "results": results,
        "eligible": eligible,
        "failing": dict(failing),
        "queries": len(queries.captured_queries),
        "sql_seconds": _sql_time(queries.captured_queries),
        "sql": [q["sql"] for q in queries.captured_queries],
        "sample": sample,
        **memory,
    }


def phase_single(args, work: Path) -> dict:
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.models import CivilServant
    from promotions.services import eligibility_evaluate

    as_of = _as_of(args)
    agency = _agency()
    sample = _sample_ids(args, agency)
    by_pk = CivilServant.objects.in_bulk(sample)
    servants = [by_pk[pk] for pk in sample]
    # The first call loads translation catalogues and warms caches; timed, reported apart.
    cold = time.perf_counter()
    eligibility_evaluate(servant=servants[0], as_of=as_of)
    cold = time.perf_counter() - cold
    times, counts, results = [], [], {}
    profile = None
    if args.profile == "single":
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    for servant in servants:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = eligibility_evaluate(servant=servant, as_of=as_of)
            times.append(time.perf_counter() - started)
        counts.append(len(queries.captured_queries))
        results[str(servant.pk)] = result.as_dict()
    if profile is not None:
        import pstats

        profile.disable()
        for order in ("tottime", "cumulative"):
            print(f"\n--- profile, sorted by {order} ---")
            pstats.Stats(profile, stream=sys.stdout).sort_stats(order).print_stats(30)
    ms = sorted(t * 1000 for t in times)
    return {
        "calls": len(ms),
        "cold_ms": cold * 1000,
        "mean_ms": statistics.fmean(ms),
        "p50_ms": statistics.median(ms),
        "p95_ms": ms[max(0, round(0.95 * len(ms)) - 1)],
        "max_ms": ms[-1],
        "query_counts": sorted(set(counts)),
        "sample": results,
        **memory_now(),
    }


PHASES = {
    "prepare": phase_prepare,
    "baseline": phase_baseline,
    "batch": phase_batch,
    "single": phase_single,
}


def run_child(args) -> int:
    setup()
    from django.db import connection
    from django.utils import translation

    # What every phase uses, loaded before its work: apps, the engine, the DB connection.
    import promotions.services  # noqa: F401

    translation.activate(translation.get_language() or "kk")
    if args.phase != "prepare":
        connection.ensure_connection()
    work = Path(args.work)
    floor = status_mb("VmRSS")
    result = PHASES[args.phase](args, work)
    result["base_mb"] = floor
    (work / f"{args.phase}.json").write_text(json.dumps(result, ensure_ascii=False))
    return 0


# -- the parent: runs the phases, prints the report ----------------------------------------


def child(args, phase: str) -> dict:
    command = [
        sys.executable, str(HERE), "--phase", phase, "--work", args.work,
        "--servants", str(args.servants), "--sample", str(args.sample), "--as-of", args.as_of,
    ]  # fmt: skip
    if args.profile:
        command += ["--profile", args.profile]
    print(f"… {phase}", flush=True)
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"phase {phase!r} failed (exit status {completed.returncode})")
    return json.loads((Path(args.work) / f"{phase}.json").read_text())


class Report:
    def __init__(self):
        self.lines: list[tuple[str, str, str, str]] = []
        self.missed: list[str] = []

    def add(self, what: str, figure: str, target: str = "", met: bool | None = None):
        verdict = "" if met is None else ("met" if met else "NOT met")
        if met is False:
            self.missed.append(what)
        self.lines.append((what, figure, target, verdict))

    def memory(self, what: str, result: dict):
        figure = f"{result['peak_mb']:.0f} MB"
        hwm = result.get("hwm_mb")
        if hwm is not None and abs(hwm - result["peak_mb"]) > 5:
            figure += f" (own {hwm:.0f})"
        figure += f", floor {result['base_mb']:.0f}" if result.get("base_mb") else ""
        self.add(what, figure)

    def print(self):
        widths = [max(len(line[i]) for line in self.lines) for i in range(3)]
        header = ("what", "figure", "target", "")
        print()
        print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=True)).rstrip())
        print("  ".join("-" * w for w in [*widths, 7]))
        for line in self.lines:
            print("  ".join(c.ljust(w) for c, w in zip(line, [*widths, 0], strict=True)).rstrip())


def run_parent(args) -> int:
    args.work = tempfile.mkdtemp(prefix="biliktilik-bench-elig-", dir="/tmp")
    args.as_of = args.as_of or datetime.date.today().isoformat()
    rounds = max(1, args.repeat)
    started = time.perf_counter()
    try:
        data = child(args, "prepare")
        if "refused" in data:
            print(f"not run: {data['refused']}", file=sys.stderr)
            return 2
        print(
            f"data: {data['servants']:,} servants, {data['ratings']:,} ratings, "
            f"{data['records']:,} records, made in {data['seconds']:.1f} s; as of "
            f"{data['as_of']}; database {data['vendor']}",
            flush=True,
        )
        # Interleaved rounds, so that the baseline and the engine see the same machine load.
        baselines, batches = [], []
        for _round in range(rounds):
            baselines.append(child(args, "baseline"))
            batches.append(child(args, "batch"))
        single = child(args, "single")
    except RuntimeError as exc:
        print(f"benchmark broke: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(args.work, ignore_errors=True)

    base = min(baselines, key=lambda r: r["seconds"])
    batch = min(batches, key=lambda r: r["seconds"])
    for key in ("peak_mb", "hwm_mb"):
        batch[key] = max((r[key] for r in batches if r.get(key) is not None), default=None)
    n = data["servants"]
    report = Report()
    report.add(
        f"raw baseline: 3 SELECTs as values_list, {sum(base['rows']):,} rows",
        f"{base['seconds']:.2f} s (SQL execute {base['sql_seconds']:.2f} s)",
    )
    report.add(
        f"batch eligibility_stream, {batch['results']:,} servants",
        f"{batch['seconds']:.2f} s ({n / batch['seconds']:,.0f} servants/s)",
        "≤ 10 s for 100k" if n == 100_000 else f"≤ {10 * n / 100_000:g} s (10 s per 100k)",
        batch["seconds"] <= 10 * n / 100_000 and batch["results"] == n,
    )
    report.add("  of which SQL execute", f"{batch['sql_seconds']:.2f} s")
    ratio = batch["seconds"] / base["seconds"]
    report.add("  batch / raw baseline", f"{ratio:.1f}×", "≤ 2×", ratio <= 2)
    report.add(
        "  SQL queries", str(batch["queries"]), "constant, set-based (≤ 10)", batch["queries"] <= 10
    )
    engine_selects = [s for s in batch["sql"] if s in base["sql"]]
    report.add(
        "  baseline SELECTs found among the engine's",
        f"{len(engine_selects)} of {len(base['sql'])}",
    )
    report.memory("  batch peak RSS (results streamed)", batch)
    if n >= 100_000:
        peak = max(v for v in (batch["peak_mb"], batch.get("hwm_mb")) if v is not None)
        report.add("  peak RSS for 100k", f"{peak:.0f} MB", "≤ 300 MB", peak <= 300)
    eligible = batch["eligible"]
    failing = ", ".join(f"{k} {v:,}" for k, v in sorted(batch["failing"].items()))
    report.add("  eligible", f"{eligible:,} ({100 * eligible / max(1, n):.0f} %)")
    report.add("  criteria not met (servants)", failing)
    p95_ok = single["p95_ms"] <= 10
    report.add(
        f"one person eligibility_evaluate, {single['calls']} servants",
        f"mean {single['mean_ms']:.2f} ms, p95 {single['p95_ms']:.2f} ms",
        "p95 ≤ 10 ms",
        p95_ok,
    )
    report.add(
        "  p50 / max / first (cold) call",
        f"{single['p50_ms']:.2f} / {single['max_ms']:.2f} / {single['cold_ms']:.1f} ms",
    )
    counts = single["query_counts"]
    report.add(
        "  SQL queries per call",
        " or ".join(map(str, counts)),
        "constant",
        len(counts) == 1,
    )
    same = sum(1 for k, v in single["sample"].items() if batch["sample"].get(k) == v)
    report.add(
        "  per-person result = batch result",
        f"{same} of {len(single['sample'])}",
        "all",
        same == len(single["sample"]),
    )
    print(
        f"\neligibility benchmark, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"{data['vendor']}, as of {data['as_of']}, best of {rounds} runs (batch, baseline), "
        f"total {time.perf_counter() - started:.0f} s"
    )
    report.print()
    print(
        "\nseconds of every run: baseline "
        + ", ".join(f"{r['seconds']:.2f}" for r in baselines)
        + "; batch "
        + ", ".join(f"{r['seconds']:.2f}" for r in batches)
    )
    print("'floor' = RSS of the process after Django set-up and imports, before the work.")
    if report.missed:
        print(f"targets NOT met: {', '.join(m.strip() for m in report.missed)}")
    else:
        print("all targets met")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--servants", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="servants timed one by one")
    parser.add_argument("--repeat", type=int, default=2, help="runs of the batch (best)")
    parser.add_argument("--as-of", default="", help="evaluation date (default: today)")
    parser.add_argument("--profile", choices=["baseline", "batch", "single"],
                        help="cProfile this phase's work")  # fmt: skip
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.servants < 1 or args.sample < 1:
        parser.error("--servants and --sample must be positive")
    if args.phase:
        return run_child(args)
    return run_parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
