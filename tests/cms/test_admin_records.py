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
    response = client.post(reverse("cms_import"), {"resource": "ratings", "import_file": upload})
    body = response.content.decode()
    assert "Check passed (nothing written yet): 2 new" in body
    assert not PerformanceRating.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "Imported: 2 new, 0 updated, 0 unchanged." in response.content.decode()
    assert PerformanceRating.objects.filter(servant=servant).count() == 2
    # The token is single-use.
    response = client.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "expired" in response.content.decode()


@pytest.mark.django_db
def test_preview_lists_bad_rows_and_offers_no_confirm(client, hr_officer_a, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    unknown = make_iin(random.Random(5))
    upload = SimpleUploadedFile("r.csv", ratings_file([[unknown, 2026, 1, "effective"]]))
    response = client.post(reverse("cms_import"), {"resource": "ratings", "import_file": upload})
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
        client.post(reverse("cms_import"), {"resource": "ratings", "import_file": upload})
    assert len(default_storage.listdir("imports/pending")[1]) == 1
    client.post(reverse("cms_import"), {"confirm": "1", "import_file_name": "wrong"})
    assert default_storage.listdir("imports/pending")[1] == []
    assert not PerformanceRating.objects.exists()


def _check(client, data: bytes, kind="ratings", name="ratings.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("cms_import"), {"resource": kind, "import_file": upload})


def _preview_table(body: str) -> tuple[list[str], list[list[str]]]:
    """The preview table as a reader sees it: its headers and its rows' cells (text only)."""
    import re

    table = body.split('class="listing import-preview"', 1)[1].split("</table>", 1)[0]

    def text(cell):
        return " ".join(re.sub(r"<[^>]+>", " ", cell).split())

    headers = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    rows = [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr data-status[^>]*>(.*?)</tr>", table, re.S)
    ]
    return headers, rows


@pytest.mark.django_db
def test_preview_shows_each_row_with_what_the_import_does(client, hr_officer_a, agency_a):
    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    PerformanceRating.objects.create(servant=servant, year=2025, quarter=3, rating="proper")
    PerformanceRating.objects.create(servant=servant, year=2025, quarter=4, rating="proper")
    client.force_login(hr_officer_a)
    data = ratings_file(
        [
            [servant.iin, 2025, 3, "надлежащим образом"],  # as stored
            [servant.iin, 2025, 4, "тиімді"],  # changed
            [servant.iin, 2026, 1, "Effective"],  # new
        ]
    )
    body = _check(client, data).content.decode()
    assert "Check passed (nothing written yet): 1 new, 1 updated, 1 unchanged." in body
    headers, rows = _preview_table(body)
    assert headers == ["line", "status", "IIN", "year", "quarter", "rating"]
    assert rows == [
        ["2", "unchanged", servant.iin, "2025", "3", "performs functional duties properly"],
        ["3", "updated", servant.iin, "2025", "4", "performs functional duties effectively"],
        ["4", "new", servant.iin, "2026", "1", "performs functional duties effectively"],
    ]
    assert 'name="confirm"' in body


@pytest.mark.django_db
def test_preview_speaks_the_users_language(client, hr_officer_a, agency_a):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(hr_officer_a)
    profile.preferred_language = "ru"
    profile.save()
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    body = _check(client, ratings_file([[servant.iin, 2026, 1, "effective"]])).content.decode()
    headers, rows = _preview_table(body)
    assert headers[2:] == ["ИИН", "год", "квартал", "оценка"]
    assert rows == [
        ["2", "новые", servant.iin, "2026", "1", "выполняет функциональные обязанности эффективно"]
    ]


@pytest.mark.django_db
def test_preview_shows_the_first_hundred_rows_and_counts_the_rest(client, hr_officer_a, agency_a):
    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    quarters = [
        [servant.iin, year, quarter, "effective"]
        for year in range(2000, 2030)
        for quarter in (1, 2, 3, 4)
    ]
    response = _check(client, ratings_file(quarters))
    body = response.content.decode()
    assert "Check passed (nothing written yet): 120 new" in body
    assert "The first 100 of 120 rows." in body
    _headers, rows = _preview_table(body)
    assert [row[0] for row in rows] == [str(line) for line in range(2, 102)]
    assert len(response.context["report"].preview) == 100


@pytest.mark.django_db
def test_a_file_with_errors_shows_them_and_no_preview(client, hr_officer_a, agency_a):
    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    data = ratings_file([[servant.iin, 2026, 1, "effective"], [servant.iin, 2026, 5, "effective"]])
    body = _check(client, data).content.decode()
    assert "Nothing was imported: 1 of 2 rows have errors." in body
    assert "import-preview" not in body and 'name="confirm"' not in body
    errors = body.split('class="listing import-errors"', 1)[1].split("</table>", 1)[0]
    assert "<td>3</td>" in errors and "<code>quarter</code>" in errors
    assert client.session.get("pending_import") is None


@pytest.mark.django_db
def test_confirm_imports_exactly_the_checked_file(client, hr_officer_a, agency_a):
    from django.core.files.storage import default_storage

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    checked = ratings_file([[servant.iin, 2026, 1, "effective"], [servant.iin, 2026, 2, "proper"]])
    token = _check(client, checked).context["token"]
    assert default_storage.open(f"imports/pending/{token}").read() == checked
    # What the confirmation form carries back does not choose the kind or the file.
    response = client.post(
        reverse("cms_import"),
        {
            "confirm": "1",
            "import_file_name": f"../../{token}",
            "resource": "servants",
            "original_file_name": "other.xlsx",
        },
        follow=True,
    )
    assert "Imported: 2 new, 0 updated, 0 unchanged." in response.content.decode()
    stored = PerformanceRating.objects.filter(servant=servant).order_by("quarter")
    assert [(r.year, r.quarter, r.rating) for r in stored] == [
        (2026, 1, "effective"),
        (2026, 2, "proper"),
    ]
    assert token not in default_storage.listdir("imports/pending")[1]


@pytest.mark.django_db
def test_another_sessions_token_is_refused(client, hr_officer_a, agency_a):
    from django.test import Client

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    token = _check(client, ratings_file([[servant.iin, 2026, 1, "effective"]])).context["token"]
    other = Client()
    other.force_login(hr_officer_for_a_second(agency_a))
    response = other.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "The checked file has expired; upload it again." in response.content.decode()
    assert not PerformanceRating.objects.exists()
    # The owner's file is untouched and still theirs to confirm.
    response = client.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "Imported: 1 new" in response.content.decode()


@pytest.mark.django_db
def test_a_kept_file_gone_from_the_storage_is_refused(client, hr_officer_a, agency_a):
    from django.core.files.storage import default_storage

    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    token = _check(client, ratings_file([[servant.iin, 2026, 1, "effective"]])).context["token"]
    default_storage.delete(f"imports/pending/{token}")  # e.g. swept as too old
    response = client.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "The checked file has expired; upload it again." in response.content.decode()
    assert not PerformanceRating.objects.exists()
    assert client.session.get("pending_import") is None


def hr_officer_for_a_second(agency):
    from tests.conftest import admin_in_english, hr_officer_for

    return admin_in_english(hr_officer_for(agency, username="hr-a-2"))


@pytest.mark.django_db
def test_the_confirmation_asks_the_policy_again(client, hr_officer_a, agency_a):
    """The role changed between the check and the confirmation (now an academy manager, who
    imports completions but not ratings): nothing is imported."""
    from django.contrib.auth.models import Group

    from core.authorization import ACADEMY_MANAGERS

    servant = ServantFactory(agency=agency_a)
    client.force_login(hr_officer_a)
    token = _check(client, ratings_file([[servant.iin, 2026, 1, "effective"]])).context["token"]
    hr_officer_a.groups.set([Group.objects.get(name=ACADEMY_MANAGERS)])
    assert client.get(reverse("cms_import")).status_code == 200  # the screen is still theirs
    response = client.post(reverse("cms_import"), {"confirm": "1", "import_file_name": token})
    # Refused as any forbidden admin page is (Wagtail sends it to the dashboard).
    assert response.status_code in (302, 403)
    assert response.get("Location") != reverse("cms_import")
    assert not PerformanceRating.objects.exists()
