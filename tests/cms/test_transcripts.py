import csv
import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.dates import add_years
from enrolments.models import QualificationRecord
from enrolments.results import qualification_record_correct


def add(servant, years_ago: int, hours: int, kind="upgrade", title="Курс"):
    day = add_years(timezone.localdate(), -years_ago)
    return QualificationRecord.objects.create(
        servant=servant,
        title=title,
        kind=kind,
        provider="Академия",
        hours=hours,
        completed_on=day,
        valid_until=day + datetime.timedelta(days=1095),
        source="import",
    )


@pytest.mark.django_db
def test_transcript_csv_lists_records_hours_per_year_and_the_requirement(
    client, servant_of_a, academy_manager
):
    add(servant_of_a, 1, 24, title="=Формула")
    add(servant_of_a, 2, 16)
    old = add(servant_of_a, 5, 72, title="Давний курс")
    qualification_record_correct(record=old, actor=academy_manager, reason="исправление", hours=70)
    client.force_login(servant_of_a.user)
    response = client.get("/en/my/transcript.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [r[0] for r in rows[1:5]]  # header, then the four records
    assert "'=Формула" in titles  # formulas neutralised
    assert titles.count("Давний курс") == 2  # the superseded record stays, marked
    met = next(r for r in rows if r and r[0] == "training requirement met")
    assert met[1] == "yes"
    assert met[2].startswith("The requirement of 36 academic hours is met and exceeded: 40 h")


@pytest.mark.django_db
def test_transcript_pdf_says_whether_the_requirement_is_met(client, servant_of_a):
    add(servant_of_a, 1, 8, kind="seminar")
    client.force_login(servant_of_a.user)
    response = client.get("/en/my/transcript.pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert servant_of_a.last_name in text
    text = " ".join(text.split())
    # Seminars do not count: 0 of the 36 hours.
    assert "The requirement of 36 academic hours is not met: 0 h" in text


@pytest.mark.django_db
def test_hr_gets_transcripts_of_their_agency_only(client, hr_officer_a, servant_of_a, servant_of_b):
    client.force_login(hr_officer_a)
    assert client.get(f"/admin/servants/{servant_of_a.pk}/transcript.pdf").status_code == 200
    assert client.get(f"/admin/servants/{servant_of_b.pk}/transcript.pdf").status_code == 404
