"""Finding 9 of issue 12: back-office pages that answered 500 to ordinary users."""

import pytest
from django.urls import reverse

from tests.conftest import admin_in_english
from tests.factories import ProgrammeFactory, RatingFactory, ServantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(client):
    """The test client re-raising a view's exception instead of rendering a 500 (or the
    database middleware's 503), so a failure shows its cause."""
    client.raise_request_exception = True
    return client


@pytest.mark.parametrize(
    ("namespace", "make"),
    [
        ("servants", lambda agency: ServantFactory(agency=agency)),
        ("ratings", lambda agency: RatingFactory(servant=ServantFactory(agency=agency))),
    ],
)
def test_hr_officer_reads_the_history_of_their_own_records(
    strict_client, hr_officer_a, agency_a, namespace, make
):
    admin_in_english(hr_officer_a)
    row = make(agency_a)
    strict_client.force_login(hr_officer_a)
    response = strict_client.get(reverse(f"{namespace}:history", args=[row.pk]))
    assert response.status_code == 200
    assert "History" in response.content.decode()


def test_history_of_another_agencys_servant_stays_404(strict_client, hr_officer_a, agency_b):
    other = ServantFactory(agency=agency_b)
    strict_client.force_login(hr_officer_a)
    assert strict_client.get(reverse("servants:history", args=[other.pk])).status_code == 404


@pytest.fixture
def programmes(db):
    return (
        ProgrammeFactory(code="ETH-101", title_ru="Этика государственной службы"),
        ProgrammeFactory(code="LAW-201", title_ru="Административное право"),
    )


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("eth-101", ["ETH-101"]),
        ("этика", ["ETH-101"]),
        ("ПРАВО", ["LAW-201"]),
        ('"', []),
        ('этика "', []),
        ("code", []),
        ("AND OR NOT * ( ) : ^", []),
    ],
)
def test_managers_search_of_programmes(strict_client, academy_manager, programmes, query, codes):
    strict_client.force_login(academy_manager)
    response = strict_client.get(reverse("wagtailsnippets_courses_programme:list"), {"q": query})
    assert response.status_code == 200
    shown = [p.code for p in response.context["object_list"]]
    assert shown == codes


@pytest.mark.parametrize(
    ("query", "codes"),
    [("этика", ["ETH-101"]), ('"', []), ('a"b', []), ("law", ["LAW-201"])],
)
def test_programme_chooser_search(strict_client, academy_manager, programmes, query, codes):
    strict_client.force_login(academy_manager)
    url = reverse("wagtailsnippetchoosers_courses_programme:choose_results")
    response = strict_client.get(url, {"q": query})
    assert response.status_code == 200
    assert [p.code for p in response.context["results"]] == codes
