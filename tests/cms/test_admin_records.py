"""The back-office import (upload → preview → confirm) and export screens."""

import csv
import io
import random

import pytest
from django.urls import reverse

from core.iin import make_iin
from people.models import PerformanceRating
from tests.factories import ServantFactory


def ratings_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["iin", "year", "quarter", "rating"])
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.django_db
def test_upload_preview_confirm(client, hr_officer_a, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    data = ratings_file([[servant.iin, 2026, 1, "эффективно"], [servant.iin, 2026, 2, "тиімді"]])
    upload = SimpleUploadedFile("ratings.csv", data, content_type="text/csv")
    response = client.post(reverse("cms_import"), {"kind": "ratings", "file": upload})
    body = response.content.decode()
    assert "Check passed (nothing written yet): 2 new" in body
    assert not PerformanceRating.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("cms_import"), {"confirm": "1", "token": token}, follow=True)
    assert "Imported: 2 new, 0 updated, 0 unchanged." in response.content.decode()
    assert PerformanceRating.objects.filter(servant=servant).count() == 2
    # The token is single-use.
    response = client.post(reverse("cms_import"), {"confirm": "1", "token": token}, follow=True)
    assert "expired" in response.content.decode()


@pytest.mark.django_db
def test_preview_lists_bad_rows_and_offers_no_confirm(client, hr_officer_a, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    unknown = make_iin(random.Random(5))
    upload = SimpleUploadedFile("r.csv", ratings_file([[unknown, 2026, 1, "effective"]]))
    response = client.post(reverse("cms_import"), {"kind": "ratings", "file": upload})
    body = response.content.decode()
    assert f"no civil servant with IIN {unknown}" in body
    assert 'name="confirm"' not in body


@pytest.mark.django_db
def test_civil_servants_cannot_import(client, servant_of_a):
    client.force_login(servant_of_a.user)
    assert client.get(reverse("cms_import")).status_code in (302, 403)


@pytest.mark.django_db
def test_export_streams_csv_scoped_to_the_officer(client, hr_officer_a, servant_of_a, servant_of_b):
    client.force_login(hr_officer_a)
    response = client.get(reverse("cms_export"), {"kind": "servants", "format": "csv"})
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert servant_of_a.iin in body and servant_of_b.iin not in body


@pytest.mark.django_db
def test_export_xlsx_download(client, auditor, servant_of_a):
    from openpyxl import load_workbook

    client.force_login(auditor)
    response = client.get(reverse("cms_export"), {"kind": "servants", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert servant_of_a.iin in values


@pytest.mark.django_db
def test_unconfirmed_uploads_do_not_pile_up(client, hr_officer_a, agency_a):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    for _attempt in range(3):
        upload = SimpleUploadedFile("r.csv", ratings_file([[servant.iin, 2026, 1, "effective"]]))
        client.post(reverse("cms_import"), {"kind": "ratings", "file": upload})
    assert len(default_storage.listdir("imports/pending")[1]) == 1
    client.post(reverse("cms_import"), {"confirm": "1", "token": "wrong"})
    assert default_storage.listdir("imports/pending")[1] == []
    assert not PerformanceRating.objects.exists()
