"""No door tells an HR officer whether an IIN belongs to another state body's servant or to
nobody (issue 12, finding 2): the file imports, the admin screen, the API's writes and the
competitions' winners answer both alike, byte for byte but for the IIN itself, and write
nothing. A new person whose IIN is already registered gets one message wherever they are
registered, with no name and no state body."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from promotions.models import Competition
from tests.api.test_api import client_for
from tests.conftest import admin_in_english
from tests.factories import ServantFactory
from tests.records.helpers import (
    COMPETITION_EN,
    COMPLETION_EN,
    RATING_EN,
    SERVANT_EN,
    csv_bytes,
    db_state,
    iins,
    run_import,
    servant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_iins(agency_b):
    """An IIN of agency B's servant (named, so a leak would show) and an IIN nobody has."""
    theirs, nobodys = iins(501, 2)
    ServantFactory(
        iin=theirs, agency=agency_b, last_name="Құпиябекова", first_name="Сырым", middle_name=""
    )
    return theirs, nobodys


def blank(text: str, iin: str) -> str:
    assert iin in text, text
    return text.replace(iin, "<IIN>")


def assert_same_answer(answer, two_iins):
    """`answer(iin)` for both IINs: identical but for the IIN, nothing written, no name."""
    theirs, nobodys = two_iins
    before = db_state()
    for_theirs, for_nobody = answer(theirs), answer(nobodys)
    assert db_state() == before
    assert blank(for_theirs, theirs) == blank(for_nobody, nobodys)
    assert "Құпиябекова" not in for_theirs and "Акимат Б" not in for_theirs
    return for_theirs


FILES = {
    "ratings": lambda iin: csv_bytes([RATING_EN, [iin, "2026", "1", "effective"]]),
    "completions": lambda iin: csv_bytes(
        [COMPLETION_EN, [iin, "", "Аудит", "Академия", "36", "2025-11-20", ""]]
    ),
    "competitions": lambda iin: csv_bytes(
        [
            COMPETITION_EN,
            ["akimat-a", "Эксперт", "E-G-3", "2026-05-20", "general", "appointed", iin],
        ]
    ),
}


@pytest.mark.parametrize("kind", list(FILES))
def test_the_importers_answer_alike(hr_officer_a, two_iins, kind):
    def answer(iin):
        report = run_import(kind, FILES[kind](iin), f"{kind}.csv", user=hr_officer_a)
        return "\n".join([report.text, *report.lines])

    text = assert_same_answer(answer, two_iins)
    assert "in the state bodies you may import for" in text


@pytest.mark.parametrize("kind", list(FILES))
def test_the_import_screen_answers_alike(client, hr_officer_a, two_iins, kind):
    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)

    def answer(iin):
        upload = SimpleUploadedFile(f"{kind}.csv", FILES[kind](iin))
        response = client.post(reverse("cms_import"), {"resource": kind, "import_file": upload})
        assert response.status_code == 200
        report = response.context["report"]
        assert not report.ok and 'name="confirm"' not in response.content.decode()
        return "\n".join([report.summary(), *map(str, report.errors)])

    assert_same_answer(answer, two_iins)


def test_a_competition_cannot_name_another_agencys_winner(hr_officer_a, two_iins, agency_a):
    theirs, _nobodys = two_iins
    report = run_import("competitions", FILES["competitions"](theirs), "c.csv", user=hr_officer_a)
    assert [(e.line, e.column) for e in report.errors] == [(2, "winner_iin")]
    assert not Competition.objects.exists()


@pytest.mark.parametrize(
    ("path", "row"),
    [
        ("ratings", {"year": 2026, "quarter": 1, "rating": "effective"}),
        (
            "completions",
            {
                "programme_title": "Аудит",
                "provider": "Академия",
                "hours": 36,
                "completed_on": "2025-11-20",
            },
        ),
    ],
)
def test_the_api_writes_answer_alike(hr_officer_a, two_iins, path, row):
    api = client_for(hr_officer_a)

    def answer(iin):
        with translation.override("en"):
            response = api.post(
                f"/api/v1/{path}/", [{"iin": iin, **row}], format="json", HTTP_ACCEPT_LANGUAGE="en"
            )
        assert response.status_code == 400
        return response.content.decode()

    assert_same_answer(answer, two_iins)


# -- registering a new person: the one bit an IIN's uniqueness gives away, said alike -----------


def test_registering_an_iin_registered_elsewhere_says_only_that(
    client, hr_officer_a, agency_a, two_iins
):
    theirs, _nobodys = two_iins
    own = ServantFactory(agency=agency_a, iin=iins(502, 1)[0])
    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)

    def form_answer(iin):
        response = client.post(
            reverse("servants:add"),
            {
                "iin": iin,
                "last_name": "Жаңа",
                "first_name": "Адам",
                "preferred_language": "kk",
                "agency": agency_a.pk,
                "position": own.position_id,
                "appointed_on": "2025-03-01",
                "first_appointed_on": "2025-03-01",
            },
        )
        assert response.status_code == 200
        return " ".join(response.context["form"].errors["iin"])

    before = db_state()
    text = form_answer(theirs)
    assert blank(text, theirs) == blank(form_answer(own.iin), own.iin)
    assert "Құпиябекова" not in text
    data = csv_bytes([SERVANT_EN, servant(theirs, agency="akimat-a")])
    report = run_import("servants", data, "servants.csv", user=hr_officer_a)
    assert report.lines == [f"line 2, column iin: {text}"]
    assert db_state() == before
