"""A qualification record's title and provider in the reader's language: the transcript, My
learning, the API, the admin lists, certificates and the completions files."""

import csv
import datetime
import io

import pytest
from django.utils import translation
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from cms.records import export_spec
from core.exporting import csv_chunks
from enrolments.models import QualificationRecord
from enrolments.resources import NAMES
from tests.api.test_api import client_for
from tests.factories import ProgrammeFactory
from tests.records.helpers import COMPLETION_EN, csv_bytes, iins, run_import

pytestmark = pytest.mark.django_db

KK = "Мемлекеттік қызметтегі сыбайлас жемқорлыққа қарсы іс-қимыл"
RU = "Противодействие коррупции на государственной службе"
EN = "Anti-corruption in the civil service"
ACADEMY_KK = "Мемлекеттік басқару академиясы"
ACADEMY_RU = "Академия государственного управления"


def record(servant, **names):
    day = datetime.date(2025, 5, 1)
    return QualificationRecord.objects.create(
        servant=servant,
        kind="upgrade",
        hours=36,
        completed_on=day,
        valid_until=day + datetime.timedelta(days=1095),
        source="import",
        **names,
    )


@pytest.fixture
def both(servant_of_a):
    """A record named in Kazakh and in Russian (no English)."""
    return record(
        servant_of_a, title_kk=KK, title_ru=RU, provider_kk=ACADEMY_KK, provider_ru=ACADEMY_RU
    )


def pdf_text(response) -> str:
    assert response.status_code == 200
    return " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )


# -- reading a name ------------------------------------------------------------------------


def test_title_in_falls_back_from_the_readers_language_to_kazakh_russian_english(both):
    assert both.title_in("kk") == KK
    assert both.title_in("ru") == RU
    assert both.title_in("en") == KK  # no English: Kazakh first
    only_russian = QualificationRecord(title_ru=RU, provider_en="OECD")
    assert only_russian.title_in("kk") == RU
    assert only_russian.provider_in("ru") == "OECD"
    with translation.override("ru"):
        assert both.title == RU and both.provider == ACADEMY_RU
    with translation.override("kk"):
        assert both.title == KK and both.provider == ACADEMY_KK


def test_setting_the_old_single_title_puts_it_into_its_language(servant_of_a):
    made = record(servant_of_a, title="Основы аудита", provider="OECD Academy")
    assert (made.title_kk, made.title_ru, made.title_en) == ("", "Основы аудита", "")
    assert (made.provider_kk, made.provider_ru, made.provider_en) == ("", "", "OECD Academy")
    made.title = "Мемлекеттік аудит негіздері"  # replaces the name, in Kazakh
    assert (made.title_kk, made.title_ru) == ("Мемлекеттік аудит негіздері", "")


# -- the transcript and My learning ----------------------------------------------------------


def test_a_kazakh_reader_sees_the_kazakh_title_on_the_transcript_and_my_learning(
    client, servant_of_a, both
):
    client.force_login(servant_of_a.user)
    page = client.get("/kk/my/").content.decode()
    assert KK in page and ACADEMY_KK in page
    assert RU not in page and ACADEMY_RU not in page
    text = pdf_text(client.get("/kk/my/transcript.pdf"))
    assert KK in text and RU not in text
    rows = list(csv.reader(io.StringIO(client.get("/kk/my/transcript.csv").content.decode())))
    assert rows[1][0] == KK and rows[1][2] == ACADEMY_KK


def test_a_russian_reader_sees_the_russian_title(client, servant_of_a, both):
    client.force_login(servant_of_a.user)
    page = client.get("/ru/my/").content.decode()
    assert RU in page and ACADEMY_RU in page
    assert KK not in page
    text = pdf_text(client.get("/ru/my/transcript.pdf"))
    assert RU in text and KK not in text


def test_a_name_missing_in_the_readers_language_falls_back(client, servant_of_a):
    record(servant_of_a, title_ru=RU, provider_ru=ACADEMY_RU)  # reported in Russian only
    client.force_login(servant_of_a.user)
    assert RU in client.get("/kk/my/").content.decode()
    assert RU in pdf_text(client.get("/kk/my/transcript.pdf"))
    english = client.get("/en/my/").content.decode()
    assert RU in english


# -- the API ---------------------------------------------------------------------------------


def test_the_api_gives_the_title_in_the_requests_language_and_each_language(hr_officer_a, both):
    api = client_for(hr_officer_a)
    kazakh = api.get("/api/v1/records/", HTTP_ACCEPT_LANGUAGE="kk").json()["results"][0]
    russian = api.get("/api/v1/records/", HTTP_ACCEPT_LANGUAGE="ru").json()["results"][0]
    assert (kazakh["title"], kazakh["provider"]) == (KK, ACADEMY_KK)
    assert (russian["title"], russian["provider"]) == (RU, ACADEMY_RU)
    assert (russian["title_kk"], russian["title_ru"], russian["title_en"]) == (KK, RU, "")
    assert (russian["provider_kk"], russian["provider_ru"]) == (ACADEMY_KK, ACADEMY_RU)


def test_the_api_imports_a_completion_named_per_language(hr_officer_a, servant_of_a):
    response = client_for(hr_officer_a).post(
        "/api/v1/completions/",
        [
            {
                "iin": servant_of_a.iin,
                "title_kk": KK,
                "title_ru": RU,
                "provider_ru": ACADEMY_RU,
                "hours": 24,
                "completed_on": "2025-10-01",
            }
        ],
        format="json",
    )
    assert response.status_code == 200, response.json()
    made = QualificationRecord.objects.get()
    assert (made.title_kk, made.title_ru, made.provider_ru) == (KK, RU, ACADEMY_RU)


# -- the back office -------------------------------------------------------------------------


def _admin_in(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.mark.parametrize(("language", "shown", "hidden"), [("kk", KK, RU), ("ru", RU, KK)])
def test_the_admin_lists_show_names_in_the_admin_users_language(
    client, academy_manager, both, language, shown, hidden
):
    ProgrammeFactory(title_kk=KK, title_ru=RU, title_en=EN)
    client.force_login(_admin_in(academy_manager, language))
    programmes = client.get("/admin/snippets/courses/programme/").content.decode()
    assert shown in programmes and hidden not in programmes
    records = client.get("/admin/records/").content.decode()
    assert shown in records and hidden not in records
    inspect = client.get(f"/admin/records/inspect/{both.pk}/").content.decode()
    assert shown in inspect  # the title in the user's language, then every language
    assert ACADEMY_KK in inspect and ACADEMY_RU in inspect


def test_the_admin_programme_list_sorts_by_the_title_in_the_users_language(client, academy_manager):
    ProgrammeFactory(code="PRG-A", title_kk="Ә бағдарлама", title_ru="Я программа")
    ProgrammeFactory(code="PRG-B", title_kk="Б бағдарлама", title_ru="А программа")
    client.force_login(_admin_in(academy_manager, "ru"))
    page = client.get("/admin/snippets/courses/programme/?ordering=title_ru").content.decode()
    assert page.index("А программа") < page.index("Я программа")


# -- certificates ----------------------------------------------------------------------------


def test_certificate_blocks_each_use_their_own_language(academy_manager, servant_of_a):
    from certificates.rendering import certificate_page_html
    from certificates.services import certificate_issue

    made = record(servant_of_a, title_kk=KK, title_ru=RU, provider_ru=ACADEMY_RU)
    certificate = certificate_issue(record=made, actor=academy_manager)
    assert (certificate.title_kk, certificate.title_ru) == (KK, RU)
    html = certificate_page_html(certificate)
    assert html.index(KK) < html.index(RU)  # the Kazakh block, then the Russian one


# -- completions files -----------------------------------------------------------------------


def _export(kind: str, language: str) -> bytes:
    queryset, columns = export_spec(kind)
    with translation.override(language):
        return "".join(csv_chunks(queryset, columns)).encode("utf-8")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_completions_export_a_column_per_language_and_reimport_unchanged(
    oral, make_servant, language
):
    a, b = iins(70, 2)
    make_servant(a, oral)
    make_servant(b, oral)
    header = ["iin", *NAMES, "hours", "completed_on", "certificate_number"]
    rows = [
        [a, KK, RU, EN, ACADEMY_KK, ACADEMY_RU, "", "36", "2025-11-20", "AGU-1"],
        [b, "", "Основы аудита", "", "", "", "OECD", "24", "2025-05-12", ""],
    ]
    assert run_import("completions", csv_bytes([header, *rows]), "c.csv").new == 2
    data = _export("completions", language)
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    with translation.override(language):
        assert str(QualificationRecord._meta.get_field("title_kk").verbose_name) in read[0]
    assert [KK, RU, EN, ACADEMY_KK, ACADEMY_RU, ""] in [r[4:10] for r in read[1:]]
    before = list(QualificationRecord.objects.values())
    report = run_import("completions", data, "c.csv")
    assert report.ok, report.lines
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert list(QualificationRecord.objects.values()) == before


def test_the_old_single_columns_still_import_into_the_language_of_their_text(oral, make_servant):
    a, b, c = iins(71, 3)
    for iin in (a, b, c):
        make_servant(iin, oral)
    programme = ProgrammeFactory(code="PRG-950", title_kk=KK, title_ru=RU, title_en=EN)
    data = csv_bytes(
        [
            COMPLETION_EN,
            [
                a,
                "",
                "Мемлекеттік аудит негіздері",
                "Ұлттық басқару мектебі",
                "36",
                "2025-11-20",
                "",
            ],
            [b, "", "Project management", "PMI", "24", "2025-05-12", ""],
            [c, "PRG-950", RU, "Академия", "72", "2025-03-03", ""],  # the programme's title
        ]
    )
    report = run_import("completions", data, "c.csv")
    assert report.ok, report.lines
    kazakh = QualificationRecord.objects.get(servant__iin=a)
    assert (kazakh.title_kk, kazakh.title_ru, kazakh.provider_kk) == (
        "Мемлекеттік аудит негіздері",
        "",
        "Ұлттық басқару мектебі",
    )
    english = QualificationRecord.objects.get(servant__iin=b)
    assert (english.title_en, english.title_ru, english.provider_en) == (
        "Project management",
        "",
        "PMI",
    )
    from_programme = QualificationRecord.objects.get(servant__iin=c)
    assert (from_programme.title_kk, from_programme.title_ru, from_programme.title_en) == (
        KK,
        RU,
        EN,
    )
    assert from_programme.programme == programme
    # the same old-layout file again changes nothing
    again = run_import("completions", data, "c.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_a_file_without_any_title_column_is_refused(oral, make_servant):
    (a,) = iins(72, 1)
    make_servant(a, oral)
    data = csv_bytes([["iin", "provider_ru", "hours", "completed_on"], [a, "x", "8", "2025-01-01"]])
    report = run_import("completions", data, "c.csv")
    assert report.file_error == ("Required columns are missing: programme_title / Программа.")
