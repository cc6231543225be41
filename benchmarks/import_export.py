"""Import and export speed and memory: 100k civil servants in, 1M qualification records out.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/import_export.py
     [--servants 100000] [--records 1000000] [--xlsx 100000] [--repeat 2] [--profile PHASE]
(also works on SQLite with DATABASE_URL=sqlite:////tmp/bench.sqlite3, more slowly). It needs a
database without civil servants or qualification records: it empties those tables as it goes.

Import: a servants CSV (semicolon, UTF-8 with BOM, Russian headers, DD.MM.YYYY dates, as
Excel writes it) goes through the kind's Resource, `ServantResource().run_file()` (found with
`cms.records.importer_for("servants")`): the file read into a tablib Dataset, then
django-import-export's `import_data` (the Columns' widgets, the preloaded instance loader,
the bulk hooks; COPY on PostgreSQL), dry-run and then for real. Baseline in the same run:
`CivilServant.objects.bulk_create` of the same rows as prepared objects, batches of 2,000, one
transaction, into an emptied table.

Export: 1M records made with INSERT … SELECT generate_series (PostgreSQL). Baseline:
csv.writer over `values_list(<the export's fields>).order_by("pk").iterator(chunk_size=5000)`
(the export's own query, so the ratio measures our Python overhead only); ours:
`export_spec("records")` + `core.exporting.csv_chunks` into a file. XLSX: write_xlsx for
10% of --xlsx rows and for --xlsx rows, to show whether memory grows with N.

Every measured phase runs in a fresh interpreter (a subprocess of this script). The parent
never imports Django and holds no data, because Linux carries the parent's peak RSS into a
child's ru_maxrss across fork/exec; VmHWM of the child (its own peak) is printed beside it.

Targets (DESIGN.md, docs/performance.md): import ≥ 10k rows/s and ≥ 0.5× bulk_create, peak
RSS ≤ 300 MB; CSV export ≥ 0.7× plain csv.writer, peak RSS ≤ 200 MB whatever N; XLSX bounded
memory.
Exit status 0 when targets are missed (it is a benchmark); non-zero only when something breaks.
"""

import argparse
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
# This file's name is the library's (django-import-export): without its folder on the path,
# `import import_export` finds the library, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE.parent]
AGENCIES = 5
CATEGORIES = ("C-O-3", "C-O-4", "C-O-5", "C-O-6", "C-R-2", "C-R-3", "D-O-4", "E-R-2")
TITLES = (
    "Руководитель отдела",
    "Заместитель руководителя отдела",
    "Главный специалист",
    "Ведущий специалист",
    "Специалист",
    "Главный эксперт",
    "Эксперт",
    "Руководитель управления",
    "Заместитель руководителя управления",
    "Аким сельского округа",
    "Заместитель акима сельского округа",
    "Главный специалист по кадрам",
    "Главный специалист-юрист",
    "Главный специалист по делопроизводству",
    "Главный специалист по государственным закупкам",
    "Ведущий специалист по бухгалтерскому учёту",
    "Руководитель аппарата",
    "Главный инспектор",
    "Советник",
    "Пресс-секретарь",
)
LAST_NAMES = (
    "Құдайбергенова",
    "Сейітқали",
    "Жұмабаев",
    "Ахметова",
    "Нұрланов",
    "Иванова",
    "Петров",
    "Серікбаев",
    "Өмірзақова",
    "Тоқтаров",
    "Бекмұханбетова",
    "Ким",
    "Қасымов",
    "Әбілова",
)
FIRST_NAMES = (
    "Әйгерім",
    "Ерлан",
    "Айгүл",
    "Нұрсұлтан",
    "Дана",
    "Асхат",
    "Мария",
    "Сергей",
    "Гүлнар",
    "Бауыржан",
    "Жанар",
    "Тимур",
    "Әлия",
    "Ольга",
)
MIDDLE_NAMES = ("Серікқызы", "Болатұлы", "Ивановна", "Қайратұлы", "Маратовна", "", "Ержанқызы")
HEADERS = (
    "ИИН", "Фамилия", "Имя", "Отчество", "Email", "БИН", "Должность", "Категория",
    "Дата назначения",
)  # fmt: skip
RECORD_TITLES = (
    "Противодействие коррупции",
    "Сыбайлас жемқорлыққа қарсы іс-қимыл",
    "Цифровая трансформация госуправления",
    "Проектное управление, базовый курс",
    'Курс "Этика государственной службы"',
    "Мемлекеттік тілде іс жүргізу",
    "Управление персоналом",
)
PROVIDERS = (
    "Академия государственного управления",
    "Филиал Академии по ЗКО",
    "ТОО «Учебный центр»",
)


# -- measuring (in a child) --------------------------------------------------------------


# -- phases (each runs in its own interpreter) -------------------------------------------


def phase_prepare(args, work: Path) -> dict:
    """Migrate, create agencies and positions, write the servants CSV."""
    import csv
    import datetime
    import io
    import random

    from django.conf import settings
    from django.db import connection

    from core.iin import make_bin, make_iin
    from enrolments.models import QualificationRecord
    from people.models import Agency, CivilServant, Position

    migrate()
    if CivilServant.objects.exists() or QualificationRecord.objects.exists():
        return {
            "refused": "the database already has civil servants or qualification records; "
            "this benchmark empties those tables, so run it on a throwaway database "
            "(scripts/with-postgres.sh)"
        }
    rng = random.Random(20240601)
    bins: list[str] = []
    for number in range(1, AGENCIES + 1):
        code = f"bench-{number}"
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            bin_ = make_bin(rng)
            while Agency.objects.filter(bin=bin_).exists() or bin_ in bins:
                bin_ = make_bin(rng)
            agency = Agency.objects.create(
                code=code, bin=bin_, name_kk=f"Орган {number}", name_ru=f"Орган {number}"
            )
        bins.append(agency.bin)
        Position.objects.bulk_create(
            [
                Position(agency=agency, title_ru=title, title_kk=title, category=category)
                for title in TITLES
                for category in CATEGORIES
            ],
            ignore_conflicts=True,
        )

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    iins: set[str] = set()
    start = datetime.date(2005, 1, 1)
    for i in range(args.servants):
        female = rng.random() < 0.5
        iin = make_iin(rng, female=female)
        while iin in iins:
            iin = make_iin(rng, female=female)
        iins.add(iin)
        appointed = start + datetime.timedelta(days=rng.randrange(0, 7000))
        writer.writerow(
            (
                iin,
                rng.choice(LAST_NAMES),
                rng.choice(FIRST_NAMES),
                rng.choice(MIDDLE_NAMES),
                f"s{i:06d}@zko.gov.kz" if rng.random() < 0.5 else "",
                rng.choice(bins),
                rng.choice(TITLES),
                rng.choice(CATEGORIES),
                appointed.strftime("%d.%m.%Y"),
            )
        )
    data = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    (work / "servants.csv").write_bytes(data)
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            vendor += " " + cursor.fetchone()[0].split()[0]
    return {
        "bytes": len(data),
        "limit": settings.IMPORT_MAX_BYTES,
        "vendor": vendor,
        "positions": Position.objects.count(),
    }


def _empty_servants() -> None:
    """Empty the servants table; on PostgreSQL TRUNCATE it (fresh heap and indexes) after
    checking that every table a CASCADE would reach is empty."""
    from django.db import connection

    from people.models import CivilServant

    table = CivilServant._meta.db_table
    if connection.vendor != "postgresql":
        CivilServant.objects.all().delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE deps(oid) AS (
                SELECT %s::regclass::oid
                UNION
                SELECT c.conrelid FROM pg_constraint c JOIN deps d ON c.confrelid = d.oid
                WHERE c.contype = 'f'
            )
            SELECT oid::regclass::text FROM deps
            """,
            [table],
        )
        others = [name for (name,) in cursor.fetchall() if name.strip('"') != table]
        for name in others:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")
            if cursor.fetchone()[0]:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
                return
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} CASCADE")


def phase_bulk_create(args, work: Path) -> dict:
    """Raw baseline: bulk_create of prepared CivilServant objects, then empty the table."""
    import csv
    import datetime

    from django.db import transaction

    from people.models import Agency, CivilServant, Position

    agencies = dict(Agency.objects.values_list("bin", "pk"))
    positions = {
        (agency_id, title.casefold(), category): pk
        for pk, agency_id, title, category in Position.objects.values_list(
            "pk", "agency_id", "title_ru", "category"
        )
    }
    with open(work / "servants.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        objects = []
        for iin, last, first, middle, email, bin_, title, category, appointed in reader:
            agency_id = agencies[bin_]
            day = datetime.datetime.strptime(appointed, "%d.%m.%Y").date()
            objects.append(
                CivilServant(
                    iin=iin,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=email,
                    agency_id=agency_id,
                    position_id=positions[(agency_id, title.casefold(), category)],
                    appointed_on=day,
                    first_appointed_on=day,
                )
            )
    with Timer(args.profile == "bulk_create", top=25) as timer, transaction.atomic():
        for start in range(0, len(objects), 2000):
            CivilServant.objects.bulk_create(objects[start : start + 2000])
    count = CivilServant.objects.count()
    _empty_servants()
    return {"seconds": timer.seconds, "rows": count, **memory_now()}


def _run_import(args, work: Path, *, dry_run: bool, name: str) -> dict:
    from cms.records import importer_for
    from people.models import CivilServant

    importer_class = importer_for("servants")
    data = (work / "servants.csv").read_bytes()
    with Timer(args.profile == name) as timer:
        report = importer_class().run_file(data, "servants.csv", dry_run=dry_run)
    memory = memory_now()
    del data
    if not report.ok:
        problem = report.file_error or "; ".join(str(e) for e in report.errors[:5])
        raise SystemExit(f"the import reported a problem: {problem}")
    if report.new != args.servants:
        raise SystemExit(f"the import counted {report.new} new rows, not {args.servants}")
    stored = CivilServant.objects.count()
    if stored != (0 if dry_run else args.servants):
        raise SystemExit(f"{stored} servants stored after the {name} run")
    if not dry_run and not args.keep:
        _empty_servants()  # another round follows
    return {"seconds": timer.seconds, "rows": report.rows, **memory}


def phase_dry_run(args, work: Path) -> dict:
    return _run_import(args, work, dry_run=True, name="dry_run")


def phase_import(args, work: Path) -> dict:
    return _run_import(args, work, dry_run=False, name="import")


def phase_records(args, work: Path) -> dict:
    """1M qualification records, as fast as the database can make them (not measured)."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from enrolments.models import QualificationRecord
    from people.models import CivilServant

    started = time.perf_counter()
    servants = CivilServant.objects.count()
    if connection.vendor == "postgresql":
        meta = QualificationRecord._meta
        column = {f.name: f.column for f in meta.concrete_fields}
        names = (
            "uid", "servant", "title_ru", "kind", "provider_ru", "hours", "completed_on",
            "valid_until", "certificate_number", "source", "is_current",
            "correction_reason", "correction_basis", "created_at", "updated_at",
            "title_kk", "title_en", "provider_kk", "provider_en",
        )  # fmt: skip
        quote = connection.ops.quote_name
        titles = ", ".join("%s" for _ in RECORD_TITLES)
        providers = ", ".join("%s" for _ in PROVIDERS)
        sql = f"""
            INSERT INTO {quote(meta.db_table)} ({", ".join(quote(column[n]) for n in names)})
            SELECT 'bn' || lpad(g::text, 14, '0'), s.id,
                   (ARRAY[{titles}])[1 + g %% {len(RECORD_TITLES)}],
                   'upgrade',
                   (ARRAY[{providers}])[1 + g %% {len(PROVIDERS)}],
                   (ARRAY[16, 24, 40, 72])[1 + g %% 4],
                   DATE '2020-01-01' + (g %% 1800),
                   DATE '2020-01-01' + (g %% 1800) + 1095,
                   CASE WHEN g %% 2 = 0 THEN 'ZKO-' || lpad(g::text, 8, '0') ELSE '' END,
                   'import', true, '', '{{}}', now(), now(), '', '', '', ''
            FROM generate_series(0, %s - 1) AS g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM {quote(CivilServant._meta.db_table)}) AS s
              ON s.n = g %% %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*RECORD_TITLES, *PROVIDERS, args.records, servants])
            # The export joins the servants, loaded just before by the import: without fresh
            # statistics of both tables the planner may take a nested loop over 1M × 100k rows
            # (an export baseline ran 15 min on 2026-12-06, autovacuum's ANALYZE 30 s late).
            for table in (meta.db_table, CivilServant._meta.db_table):
                cursor.execute(f"VACUUM ANALYZE {quote(table)}")
    else:
        ids = list(CivilServant.objects.values_list("pk", flat=True))
        today = datetime.date(2024, 1, 1)
        now = timezone.now()
        for start in range(0, args.records, 10_000):
            QualificationRecord.objects.bulk_create(
                QualificationRecord(
                    uid=f"bn{g:014d}",
                    servant_id=ids[g % len(ids)],
                    title=RECORD_TITLES[g % len(RECORD_TITLES)],
                    kind="upgrade",
                    provider=PROVIDERS[g % len(PROVIDERS)],
                    hours=40,
                    completed_on=today,
                    valid_until=today + datetime.timedelta(days=1095),
                    source="import",
                    is_current=True,
                    created_at=now,
                    updated_at=now,
                )
                for g in range(start, min(start + 10_000, args.records))
            )
    count = QualificationRecord.objects.count()
    return {"seconds": time.perf_counter() - started, "rows": count}


def _lines(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
    return count


def phase_export_baseline(args, work: Path) -> dict:
    import csv

    from cms.records import export_spec
    from enrolments.models import QualificationRecord

    _queryset, columns = export_spec("records")
    fields = [c.field for c in columns]
    path = work / "records-baseline.csv"
    with (
        Timer(args.profile == "export_baseline", top=25) as timer,
        open(path, "w", encoding="utf-8", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(fields)
        rows = QualificationRecord.objects.order_by("pk").values_list(*fields)
        for row in rows.iterator(chunk_size=5000):
            writer.writerow(row)
    memory = memory_now()
    result = {"seconds": timer.seconds, "rows": _lines(path) - 1, "bytes": path.stat().st_size}
    path.unlink()
    return {**result, **memory}


def phase_export(args, work: Path) -> dict:
    from cms.records import export_spec
    from core.exporting import csv_chunks, write_csv_file

    path = work / "records.csv"
    with Timer(args.profile == "export", top=25) as timer:
        queryset, columns = export_spec("records")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            write_csv_file(handle, csv_chunks(queryset, columns))
    memory = memory_now()
    result = {"seconds": timer.seconds, "rows": _lines(path) - 1, "bytes": path.stat().st_size}
    path.unlink()
    return {**result, **memory}


def phase_xlsx(args, work: Path) -> dict:
    from cms.records import export_spec
    from core.exporting import write_xlsx

    path = work / "records.xlsx"
    with Timer(args.profile == "xlsx", top=25) as timer:
        queryset, columns = export_spec("records")
        write_xlsx(str(path), queryset[: args.rows], columns, title="records")
    memory = memory_now()
    result = {"seconds": timer.seconds, "rows": args.rows, "bytes": path.stat().st_size}
    path.unlink()
    return {**result, **memory}


PHASES = {
    "prepare": phase_prepare,
    "bulk_create": phase_bulk_create,
    "dry_run": phase_dry_run,
    "import": phase_import,
    "records": phase_records,
    "export_baseline": phase_export_baseline,
    "export": phase_export,
    "xlsx": phase_xlsx,
}


def run_child(args) -> int:
    setup()
    # Import what a phase uses before noting the process's floor (Django, apps, models).
    import cms.records  # noqa: F401
    import core.exporting  # noqa: F401

    work = Path(args.work)
    floor = status_mb("VmRSS")
    result = PHASES[args.phase](args, work)
    result["base_mb"] = floor
    (work / f"{args.phase}.json").write_text(json.dumps(result))
    return 0


# -- the parent: runs the phases, prints the report ----------------------------------------


def child(args, phase: str, **extra) -> dict:
    command = [
        sys.executable,
        str(HERE),
        "--phase",
        phase,
        "--work",
        args.work,
        "--servants",
        str(args.servants),
        "--records",
        str(args.records),
    ]
    if args.profile:
        command += ["--profile", args.profile]
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    print(f"… {phase} {' '.join(f'{k}={v}' for k, v in extra.items())}".rstrip(), flush=True)
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"phase {phase!r} failed (exit status {completed.returncode})")
    return json.loads((Path(args.work) / f"{phase}.json").read_text())


RUNS: dict[str, list[float]] = {}


def best(name: str, runs: list[dict]) -> dict:
    """The fastest of the runs; the highest peak memory of them."""
    RUNS[name] = [r["seconds"] for r in runs]
    result = dict(min(runs, key=lambda r: r["seconds"]))
    for key in ("peak_mb", "hwm_mb"):
        values = [r[key] for r in runs if r.get(key) is not None]
        result[key] = max(values) if values else None
    return result


def best_of(args, phase: str, **extra) -> dict:
    name = " ".join([phase, *map(str, extra.values())])
    return best(name, [child(args, phase, **extra) for _ in range(max(1, args.repeat))])


def rate(result: dict) -> float:
    return result["rows"] / result["seconds"] if result["seconds"] else float("inf")


class Report:
    def __init__(self):
        self.lines: list[tuple[str, str, str, str]] = []
        self.missed: list[str] = []

    def add(self, what: str, figure: str, target: str = "", met: bool | None = None):
        verdict = "" if met is None else ("met" if met else "NOT met")
        if met is False:
            self.missed.append(what)
        self.lines.append((what, figure, target, verdict))

    def memory(self, what: str, result: dict, limit: float | None):
        figure = f"{result['peak_mb']:.0f} MB"
        hwm = result.get("hwm_mb")
        if hwm is not None and abs(hwm - result["peak_mb"]) > 5:
            figure += f" (own {hwm:.0f})"
        figure += f", floor {result['base_mb']:.0f}" if result.get("base_mb") else ""
        peak = max(result["peak_mb"], hwm or 0)
        if limit is None:
            self.add(what, figure)
        else:
            self.add(what, figure, f"≤ {limit:.0f} MB", peak <= limit)

    def print(self):
        widths = [max(len(line[i]) for line in self.lines) for i in range(3)]
        header = ("what", "figure", "target", "")
        print()
        print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=True)).rstrip())
        print("  ".join("-" * w for w in [*widths, 7]))
        for line in self.lines:
            print("  ".join(c.ljust(w) for c, w in zip(line, [*widths, 0], strict=True)).rstrip())


def run_parent(args) -> int:
    args.work = tempfile.mkdtemp(prefix="biliktilik-bench-io-", dir="/tmp")
    report = Report()
    started = time.perf_counter()
    try:
        prepared = child(args, "prepare")
        if "refused" in prepared:
            print(f"not run: {prepared['refused']}", file=sys.stderr)
            return 2
        print(
            f"servants CSV: {args.servants:,} rows, {prepared['bytes'] / 2**20:.1f} MB "
            f"(upload limit {prepared['limit'] / 2**20:.0f} MB); {prepared['positions']} "
            f"positions; database {prepared['vendor']}",
            flush=True,
        )
        # Interleaved rounds, so that the baseline and the import see the same machine load.
        bulks, dries, reals = [], [], []
        for round_ in range(max(1, args.repeat)):
            bulks.append(child(args, "bulk_create"))
            dries.append(child(args, "dry_run"))
            reals.append(child(args, "import", keep=int(round_ == max(1, args.repeat) - 1)))
        bulk, dry, real = best("bulk_create", bulks), best("dry_run", dries), best("import", reals)
        print(
            f"import: bulk_create {rate(bulk):,.0f} rows/s, dry run {rate(dry):,.0f} rows/s "
            f"(peak {dry.get('peak_mb', 0):.0f} MB), real {rate(real):,.0f} rows/s "
            f"(peak {real.get('peak_mb', 0):.0f} MB)",
            flush=True,
        )
        records = child(args, "records")
        print(f"records: {records['rows']:,} made in {records['seconds']:.1f} s", flush=True)
        export_base = best_of(args, "export_baseline")
        export = best_of(args, "export")
        xlsx_rows = min(args.xlsx, records["rows"])
        xlsx_small = best_of(args, "xlsx", rows=max(1, xlsx_rows // 10)) if xlsx_rows else None
        xlsx = best_of(args, "xlsx", rows=xlsx_rows) if xlsx_rows else None
    except RuntimeError as exc:
        print(f"benchmark broke: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(args.work, ignore_errors=True)

    bulk_rate = rate(bulk)
    report.add(f"bulk_create baseline, {bulk['rows']:,} servants", f"{bulk_rate:,.0f} rows/s")
    report.memory("  bulk_create peak RSS (all objects built first)", bulk, None)
    for name, result in (("Resource.run_file dry run", dry), ("Resource.run_file real", real)):
        report.add(
            f"{name}, {result['rows']:,} rows",
            f"{rate(result):,.0f} rows/s ({result['seconds']:.1f} s)",
            "≥ 10,000 rows/s",
            rate(result) >= 10_000,
        )
        report.add(
            f"  {name} / bulk_create",
            f"{rate(result) / bulk_rate:.2f}×",
            "≥ 0.5×",
            rate(result) / bulk_rate >= 0.5,
        )
        report.memory(f"  {name}, peak RSS", result, 300)
    report.add(
        f"CSV baseline csv.writer, {export_base['rows']:,} records",
        f"{rate(export_base):,.0f} rows/s ({export_base['seconds']:.1f} s)",
    )
    report.memory("  baseline peak RSS", export_base, None)
    report.add(
        f"CSV export (csv_chunks), {export['rows']:,} records",
        f"{rate(export):,.0f} rows/s ({export['seconds']:.1f} s)",
    )
    ratio = rate(export) / rate(export_base)
    report.add("  export / baseline", f"{ratio:.2f}×", "≥ 0.7×", ratio >= 0.7)
    report.memory("  export peak RSS", export, 200)
    if export["rows"] != export_base["rows"]:
        report.add("  rows written: export vs baseline", f"{export['rows']} vs "
                   f"{export_base['rows']}", "equal", False)  # fmt: skip
    if xlsx is not None:
        for result in (xlsx_small, xlsx):
            report.add(
                f"XLSX write-only, {result['rows']:,} records",
                f"{result['seconds']:.1f} s ({rate(result):,.0f} rows/s), "
                f"{result['bytes'] / 2**20:.1f} MB",
            )
            report.memory("  XLSX peak RSS", result, 200)
        growth = max(xlsx["peak_mb"], xlsx["hwm_mb"] or 0) - max(
            xlsx_small["peak_mb"], xlsx_small["hwm_mb"] or 0
        )
        report.add(
            f"  XLSX peak growth {xlsx_small['rows']:,} → {xlsx['rows']:,} rows",
            f"{growth:+.0f} MB",
            "bounded (≤ +20 MB)",
            growth <= 20,
        )
    print(
        f"\nimport/export benchmark, {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}, {prepared['vendor']}, "
        f"best of {max(1, args.repeat)} runs each, total {time.perf_counter() - started:.0f} s"
    )
    report.print()
    print("\nseconds of every run: " + "; ".join(
        f"{name} {', '.join(f'{s:.1f}' for s in runs)}" for name, runs in RUNS.items()
    ))  # fmt: skip
    print("\n'floor' = RSS of the process after Django set-up and imports, before the work.")
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
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--xlsx", type=int, default=100_000, help="records in the XLSX (0: skip)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement (best)")
    parser.add_argument("--profile", choices=sorted(PHASES), help="cProfile this phase's work")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return run_child(args)
    return run_parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
