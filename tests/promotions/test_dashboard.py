"""The meritocracy dashboard: its figures per state body, and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promotions.models import Competition, MeritAppointment
from tests.conftest import admin_in_english
from tests.factories import AgencyFactory, ServantFactory

PERIOD = {"start": "2024-01-01", "end": "2024-09-30"}


def competition(agency, held_on, outcome, n=[0]):  # noqa: B006 - a counter for unique titles
    n[0] += 1
    return Competition.objects.create(
        agency=agency,
        position_title=f"Position {n[0]}",
        category="C-O-4",
        held_on=held_on,
        kind="general",
        outcome=outcome,
    )


def appointment(agency, appointed_on):
    servant = ServantFactory(agency=agency)
    return MeritAppointment.objects.create(
        servant=servant,
        agency=agency,
        position_title="Head of unit",
        category="C-O-3",
        appointed_on=appointed_on,
    )


def dashboard(client):
    return client.get(reverse("promotions_dashboard"), PERIOD)


@pytest.mark.django_db
def test_the_figures_per_state_body_and_for_the_region(client, superuser):
    admin_in_english(superuser)
    a, b = AgencyFactory(name_en="Akimat A"), AgencyFactory(name_en="Akimat B")
    for outcome in ["promoted"] * 3 + ["appointed", "failed"]:
        competition(a, datetime.date(2024, 5, 1), outcome)
    competition(a, datetime.date(2023, 5, 1), "promoted")
    competition(a, datetime.date(2023, 6, 1), "appointed")
    competition(a, datetime.date(2023, 12, 1), "promoted")  # neither period
    competition(b, datetime.date(2024, 2, 1), "appointed")
    appointment(a, datetime.date(2024, 3, 1))
    appointment(a, datetime.date(2024, 9, 30))
    appointment(a, datetime.date(2023, 3, 1))  # before the period
    client.force_login(superuser)
    response = dashboard(client)
    rows = {r["agency"].pk: r for r in response.context["rows"]}
    figures = {
        pk: (r["level"].held, r["level"].promoted, r["level"].percent, r["earlier"].percent)
        for pk, r in rows.items()
    }
    assert figures == {a.pk: (4, 3, 75.0, 50.0), b.pk: (1, 0, 0.0, None)}
    assert (rows[a.pk]["merit"], rows[b.pk]["merit"]) == (2, 0)
    region = response.context["region"]
    assert (region["level"].held, region["level"].promoted, region["level"].percent) == (5, 3, 60)
    assert (region["earlier"].percent, region["merit"]) == (50.0, 2)
    body = response.content.decode()
    assert "3 of 5 competitions" in body and "75%" in body


@pytest.mark.django_db
def test_an_hr_officer_sees_their_state_bodies_only(client, hr_officer_a, agency_a, agency_b):
    competition(agency_a, datetime.date(2024, 5, 1), "promoted")
    competition(agency_b, datetime.date(2024, 5, 1), "appointed")
    appointment(agency_b, datetime.date(2024, 5, 2))
    client.force_login(hr_officer_a)
    response = dashboard(client)
    rows = response.context["rows"]
    assert [(r["agency"], r["level"].held, r["merit"]) for r in rows] == [(agency_a, 1, 0)]
    assert response.context["region"] is None


def _with_agencies(count):
    for _ in range(count):
        agency = AgencyFactory()
        competition(agency, datetime.date(2024, 5, 1), "promoted")
        competition(agency, datetime.date(2023, 5, 1), "appointed")
        appointment(agency, datetime.date(2024, 6, 1))


@pytest.mark.django_db
def test_the_dashboard_reads_a_constant_number_of_queries(
    client, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    _with_agencies(3)
    dashboard(client)  # the first page of a new site creates its settings
    with CaptureQueriesContext(connection) as few:
        assert len(dashboard(client).context["rows"]) == 3
    _with_agencies(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = dashboard(client)
    assert len(response.context["rows"]) == 30
    assert response.context["region"]["merit"] == 30
