"""The annual report's admin page and its downloads: who may open them, what they show."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from tests.conftest import admin_in_english

from .conftest import YEAR

PAGE = reverse("reports_annual")
XLSX = reverse("reports_annual_xlsx")
PDF = reverse("reports_annual_pdf")


def in_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.mark.parametrize("who", ["academy_manager", "auditor", "superuser"])
def test_the_academy_auditors_and_superusers_see_the_report_and_its_menu_item(
    client, request, seeded_year, who
):
    user = admin_in_english(request.getfixturevalue(who))
    client.force_login(user)
    page = client.get(PAGE, {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Annual report" in html
    assert seeded_year.agency_a.name_en in html or "Акимат А" in html or "А әкімдігі" in html
    assert "No yearly plans for this year yet." in html
    assert PAGE in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("who", ["hr_officer_a", "servant_of_a"])
@pytest.mark.parametrize("url", [PAGE, XLSX, PDF])
def test_an_hr_officer_or_a_civil_servant_is_turned_away(client, request, seeded_year, who, url):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    response = client.get(url, {"year": YEAR})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"] or response["Location"].endswith("/admin/")
    assert "Акимат" not in response.content.decode(errors="ignore")


def test_an_hr_officer_has_no_menu_item_for_the_report(client, hr_officer_a):
    client.force_login(hr_officer_a)
    assert PAGE not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_page_opens_on_the_latest_year_with_training(client, academy_manager, seeded_year):
    client.force_login(academy_manager)
    page = client.get(PAGE)
    assert page.context["year"] == YEAR
    assert page.context["report"].total.people == 2


def test_the_page_shows_the_totals_and_the_rates(client, academy_manager, seeded_year):
    client.force_login(academy_manager)
    html = client.get(PAGE, {"year": YEAR}).content.decode()
    for text in ("People trained by state body", "50%", "33.3%", "192", "ANTICOR-36"):
        assert text in html, text


def test_the_xlsx_has_a_sheet_per_table_with_kazakh_headers_when_asked_in_kk(
    client, academy_manager, seeded_year
):
    client.force_login(in_language(academy_manager, "kk"))
    response = client.get(XLSX, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'annual-report-{YEAR}-kk.xlsx"')
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.sheetnames) == 7
    agencies = [list(row) for row in book.worksheets[1].iter_rows(values_only=True)]
    headers = agencies[3]
    assert headers[:2] == ["мемлекеттік орган", "оқудан өткендер"]
    rows = {row[0]: row for row in agencies[4:6]}
    assert rows["А әкімдігі"][1:4] == [1, 2, 156]
    total = agencies[6]
    assert total[1:4] == [2, 3, 192]
    certificates = list(book.worksheets[2].iter_rows(values_only=True))
    assert certificates[3] == (
        "мемлекеттік орган",
        "берілген сертификаттар",
        "күші жойылған сертификаттар",
    )
    assert certificates[-1] == ("Барлығы", 2, 2)


def test_the_xlsx_comes_in_russian_when_asked(client, academy_manager, seeded_year):
    client.force_login(academy_manager)
    response = client.get(XLSX, {"year": YEAR, "lang": "ru"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    headers = list(book.worksheets[1].iter_rows(values_only=True))[3]
    assert headers[:2] == ("государственный орган", "прошли обучение")


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_is_a_landscape_a4_report_with_kazakh_text_when_asked_in_kk(
    client, academy_manager, seeded_year
):
    client.force_login(in_language(academy_manager, "kk"))
    response = client.get(PDF, {"year": YEAR})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert f"{YEAR}" in text
    for words in (
        "Мемлекеттік органдар бойынша",
        "Негізгі көрсеткіштер",
        "А әкімдігі",
        "Бұл жылға",
    ):
        assert words in text, words
    size = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.276" in size  # A4 landscape, in points: nine columns fit


def test_the_pdf_comes_in_russian_when_asked(client, academy_manager, seeded_year):
    client.force_login(academy_manager)
    text = pdf_text(client.get(PDF, {"year": YEAR, "lang": "ru"}).content)
    for words in (
        "По государственным органам",
        "Основные показатели",
        "Акимат А",
        "Годовых планов",
    ):
        assert words in text, words
