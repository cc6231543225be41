import datetime

import pytest
from django.urls import reverse

from courses.models import SessionStatus
from tests.factories import ProgrammeFactory, SessionFactory


def codes(response) -> list[str]:
    return [p.code for p in response.context["page_obj"]]


@pytest.mark.django_db
def test_the_catalog_lists_published_programmes_only(client):
    ProgrammeFactory(code="LIVE-1")
    ProgrammeFactory(code="DRAFT-1", live=False)
    response = client.get("/kk/programmes/")
    assert response.status_code == 200
    assert codes(response) == ["LIVE-1"]


@pytest.mark.django_db
def test_search_matches_cyrillic_titles_in_any_case(client):
    ProgrammeFactory(
        code="A-1", title_ru="Противодействие коррупции", title_kk="Сыбайлас жемқорлық"
    )
    ProgrammeFactory(code="B-1", title_ru="Управление проектами", title_kk="Жобаларды басқару")
    assert codes(client.get("/ru/programmes/", {"q": "КОРРУПЦИИ"})) == ["A-1"]
    assert codes(client.get("/kk/programmes/", {"q": "жобаларды"})) == ["B-1"]
    assert codes(client.get("/en/programmes/", {"q": "b-1"})) == ["B-1"]


@pytest.mark.django_db
def test_filters_by_kind_format_language_category_and_month(client, today):
    seminar = ProgrammeFactory(code="SEM", kind="seminar", format="online", academic_hours=8)
    course = ProgrammeFactory(code="CRS", audience="C-O-*")
    SessionFactory(programme=seminar, language="ru", starts_on=datetime.date(today.year + 1, 3, 10))
    SessionFactory(programme=course, language="kk", starts_on=datetime.date(today.year + 1, 4, 10))
    url = "/ru/programmes/"
    assert codes(client.get(url, {"kind": "seminar"})) == ["SEM"]
    assert codes(client.get(url, {"format": "online"})) == ["SEM"]
    assert codes(client.get(url, {"language": "kk"})) == ["CRS"]
    assert codes(client.get(url, {"category": "C-O-2"})) == ["CRS", "SEM"]  # SEM: everyone
    assert codes(client.get(url, {"category": "D-2"})) == ["SEM"]
    assert codes(client.get(url, {"month": f"{today.year + 1}-04"})) == ["CRS"]
    # Nonsense values are ignored rather than failing.
    assert codes(client.get(url, {"month": "2026-13", "kind": "bogus"})) == ["CRS", "SEM"]


@pytest.mark.django_db
def test_a_bilingual_session_matches_both_language_filters(client):
    both = ProgrammeFactory(code="BOTH")
    SessionFactory(programme=both, language="both")
    assert codes(client.get("/ru/programmes/", {"language": "ru"})) == ["BOTH"]
    assert codes(client.get("/ru/programmes/", {"language": "kk"})) == ["BOTH"]


@pytest.mark.django_db
def test_the_catalog_query_count_does_not_grow_with_programmes(
    client, django_assert_max_num_queries, today
):
    def make(n, start):
        for i in range(n):
            programme = ProgrammeFactory(code=f"N-{start + i:03d}")
            SessionFactory(programme=programme)
            SessionFactory(programme=programme, starts_on=today + datetime.timedelta(days=40))

    make(3, 0)
    with django_assert_max_num_queries(12) as small:
        client.get("/kk/programmes/")
    make(40, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/kk/programmes/")
    assert response.context["page_obj"].paginator.count == 43


@pytest.mark.django_db
def test_programme_page_lists_upcoming_sessions_with_free_seats(client, today):
    programme = ProgrammeFactory(
        code="ETHICS-C", title_ru="Этика", title_kk="Әдеп", title_en="Ethics"
    )
    SessionFactory(programme=programme, capacity=25, location_ru="г. Уральск, ауд. 201")
    SessionFactory(
        programme=programme,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=28),
        status=SessionStatus.FINISHED,
    )
    SessionFactory(programme=programme, status=SessionStatus.CANCELLED)
    response = client.get(reverse("programme_detail", kwargs={"code": "ETHICS-C"}))
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 1
    assert response.context["sessions"][0].free_seats == 25
    body = response.content.decode()
    # No Kazakh location was entered, so the kk page falls back to the Russian one.
    assert "25" in body and "ауд. 201" in body
    ru = client.get("/ru/programmes/ETHICS-C/").content.decode()
    assert "Этика" in ru and "г. Уральск, ауд. 201" in ru
    assert "Ethics" in client.get("/en/programmes/ETHICS-C/").content.decode()


@pytest.mark.django_db
def test_unknown_or_draft_programmes_are_not_found(client):
    ProgrammeFactory(code="HIDDEN", live=False)
    assert client.get("/kk/programmes/HIDDEN/").status_code == 404
    assert client.get("/kk/programmes/NOPE/").status_code == 404
