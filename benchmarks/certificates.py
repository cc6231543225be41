"""Certificate PDF speed: ms per certificate in one process, and 10,000 on both cores.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/certificates.py [--count 10000]
(also works on SQLite with DATABASE_URL=sqlite:////tmp/bench.sqlite3).

Three figures, each on certificates that carry a branch logo (as issued ones do):
- on demand: `render_certificate_pdf`, one certificate per document (a holder's download);
- bulk, one process: `render_certificate_pdfs` (batches laid out together, one PDF each);
- bulk, 10,000 on both cores: the same in one worker process per core.
Baseline, measured in the same run: bare WeasyPrint on the same HTML, building its own font
configuration, URL fetcher and stylesheet for every document (what a naive view does).
Targets (docs/performance.md): ≤ 25 ms each in one process; 10,000 in ≤ 120 s with 2 cores.
"""

import argparse
import datetime
import gc
import multiprocessing
import statistics
import time
from pathlib import Path

from _django import migrate, setup


def make_logo() -> str:
    """A branch logo as services.certificate_issue stores it: a JPEG rendition on white."""
    import tempfile

    from PIL import Image, ImageDraw

    path = Path(tempfile.gettempdir()) / "biliktilik-bench-logo.jpg"
    if not path.exists():
        image = Image.new("RGB", (480, 480), "white")
        draw = ImageDraw.Draw(image)
        draw.ellipse((10, 10, 470, 470), fill=(0, 98, 155))
        draw.ellipse((90, 90, 390, 390), fill=(255, 200, 40))
        draw.polygon([(240, 110), (285, 240), (240, 370), (195, 240)], fill=(0, 98, 155))
        image.save(path, quality=90)
    return str(path)


def make_certificates(count: int) -> list[int]:
    import random

    from django.db import transaction
    from django.utils import timezone

    from certificates.models import Certificate
    from core.iin import make_iin
    from core.validators import mask_iin
    from enrolments.models import QualificationRecord
    from people.models import Agency, CivilServant

    rng = random.Random(1)
    logo = make_logo()
    existing = Certificate.objects.count()
    if existing >= count:
        return list(Certificate.objects.order_by("pk").values_list("pk", flat=True)[:count])
    if existing:
        raise SystemExit(f"the database holds {existing} certificates: use a fresh one")
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(
            code="bench", defaults={"bin": "940140000385", "name_kk": "Орган", "name_ru": "Орган"}
        )
        servants = CivilServant.objects.bulk_create(
            CivilServant(
                iin=make_iin(rng),
                last_name="Құдайбергенова",
                first_name=f"Әйгерім{i}",
                middle_name="Серікқызы",
                agency=agency,
                pseudonym=f"P-B{i:010d}",
            )
            for i in range(count)
        )
        today = timezone.localdate()
        records = QualificationRecord.objects.bulk_create(
            QualificationRecord(
                servant=s,
                title="Противодействие коррупции",
                kind="upgrade",
                provider="Академия",
                hours=40,
                completed_on=today,
                valid_until=today + datetime.timedelta(days=1095),
                source="manual",
                uid=f"bench{i:011d}",
            )
            for i, s in enumerate(servants)
        )
        now = timezone.now()
        certificates = Certificate.objects.bulk_create(
            Certificate(
                record=r,
                servant=s,
                serial=f"ZKO-{today.year}-{i + 1:06d}",
                year=today.year,
                number=i + 1,
                verification_code=f"bench-{i:020d}",
                issued_at=now,
                holder_name=s.full_name,
                holder_iin_masked=mask_iin(s.iin),
                programme_code="ANTICOR-C",
                title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
                title_ru="Противодействие коррупции",
                kind="upgrade",
                hours=40,
                starts_on=today - datetime.timedelta(days=5),
                completed_on=today,
                valid_until=today + datetime.timedelta(days=1095),
                branch_name_kk="Мемлекеттік басқару академиясының "
                "Батыс Қазақстан облысы бойынша филиалы",
                branch_name_ru="Филиал Академии государственного управления по ЗКО",
                signatory_name="А. Б. Сейітқали",
                signatory_title_kk="Филиал директоры",
                signatory_title_ru="Директор филиала",
                logo_path=logo,
            )
            for i, (r, s) in enumerate(zip(records, servants, strict=True))
        )
    return [c.pk for c in certificates]


def render_many(ids: list[int]) -> float:
    """Render the given certificates in bulk; returns seconds. Runs in a worker process too."""
    from django.db import connection

    from certificates.models import Certificate
    from certificates.rendering import render_certificate_pdfs

    connection.close()  # a forked worker must not share the parent's connection
    started = time.perf_counter()
    for start in range(0, len(ids), 500):
        certificates = Certificate.objects.filter(pk__in=ids[start : start + 500]).select_related(
            "record", "superseded_by"
        )
        for _, pdf in render_certificate_pdfs(certificates):
            assert pdf.startswith(b"%PDF")
    return time.perf_counter() - started


def baseline_ms(certificate, repeat: int) -> float:
    from weasyprint import CSS, HTML

    from certificates.rendering import STYLESHEET, certificate_html

    html = certificate_html(certificate)
    started = time.perf_counter()
    for _ in range(repeat):
        HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
            stylesheets=[CSS(filename=str(STYLESHEET))]
        )
    return (time.perf_counter() - started) / repeat * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--single", type=int, default=200, help="certificates for the one-process figures"
    )
    args = parser.parse_args()
    setup()
    migrate()
    from certificates.models import Certificate
    from certificates.rendering import render_certificate_pdf

    ids = make_certificates(args.count)
    sample = ids[: args.single]
    first = Certificate.objects.get(pk=ids[0])
    render_certificate_pdf(first)  # warm up: fonts, stylesheet, logo
    timings = []
    for certificate in Certificate.objects.filter(pk__in=sample).select_related(
        "record", "superseded_by"
    ):
        started = time.perf_counter()
        render_certificate_pdf(certificate)
        timings.append((time.perf_counter() - started) * 1000)
    demand_ms = statistics.mean(timings)
    bulk_ms = render_many(sample) / len(sample) * 1000
    base_ms = baseline_ms(first, max(10, args.single // 10))

    workers = multiprocessing.cpu_count()
    size = -(-len(ids) // workers)
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    # Keep the collector off the objects the workers inherit: otherwise each worker's
    # collections touch (and so copy) the parent's pages, about 5 % slower.
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(render_many, chunks)
    total_s = time.perf_counter() - started
    scaled_10k = total_s * 10_000 / len(ids)

    print(
        f"on demand, one process, {len(timings)} certificates: mean {demand_ms:.1f} ms, "
        f"p50 {statistics.median(timings):.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)]:.1f} ms"
    )
    print(f"bulk, one process, {len(sample)} certificates: {bulk_ms:.1f} ms each")
    print(
        f"baseline (bare WeasyPrint, nothing shared): {base_ms:.1f} ms each "
        f"→ on demand is {base_ms / demand_ms:.1f}×, bulk {base_ms / bulk_ms:.1f}× faster"
    )
    print(
        f"bulk, {len(ids)} certificates on {workers} processes: {total_s:.1f} s "
        f"({len(ids) / total_s:.0f}/s; 10,000 would take {scaled_10k:.0f} s)"
    )
    print(
        f"target ≤ 25 ms each in one process: bulk {'met' if bulk_ms <= 25 else 'NOT met'}, "
        f"on demand {'met' if demand_ms <= 25 else 'NOT met'}; "
        f"10,000 ≤ 120 s: {'met' if scaled_10k <= 120 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
