"""Recording an appointment under the merit rule from the eligibility check screen."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from promotions.appointments import merit_appointment_record
from promotions.models import EligibilityCheck, MeritAppointment, RuleSet
from tests.conftest import admin_in_english
from tests.factories import ServantFactory

from .test_eligibility import LAST_FOUR, rate, train

DAY = datetime.date(2026, 11, 27)  # the last four complete quarters are LAST_FOUR


@pytest.fixture
def rules(db):
    return RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))


def eligible(agency):
    servant = ServantFactory(agency=agency, first_appointed_on=datetime.date(2012, 1, 1))
    rate(servant, LAST_FOUR)
    train(servant, 40, datetime.date(2025, 3, 1))
    return servant


def appointment_post(client, servant, day=DAY):
    return client.post(
        reverse("promotions_merit_appointment"),
        {
            "servant": servant.pk,
            "position_title": "Head of the HR unit",
            "category": "C-O-3",
            "appointed_on": day.isoformat(),
        },
        follow=True,
    )


@pytest.mark.django_db
def test_hr_records_an_appointment_from_an_eligible_check_and_the_dashboard_counts_it(
    client, rules, hr_officer_a, agency_a
):
    admin_in_english(hr_officer_a)
    servant = eligible(agency_a)
    client.force_login(hr_officer_a)
    page = client.post(
        reverse("promotions_check"),
        {"servant": servant.pk, "target_category": "C-O-3", "as_of": DAY.isoformat()},
    ).content.decode()
    assert "Record an appointment under the merit rule" in page
    assert 'action="/admin/promotions/check/appointment/"' in page

    body = appointment_post(client, servant).content.decode()
    assert "appointed under the merit rule on 27.11.2026" in body
    appointment = MeritAppointment.objects.get()
    assert (appointment.servant, appointment.agency, appointment.category) == (
        servant,
        agency_a,
        "C-O-3",
    )
    check = appointment.eligibility_check
    assert check.eligible and check.as_of == DAY and check.created_by == hr_officer_a
    # Audited twice over: the row's creation (auditlog) and the domain event (Wagtail).
    assert LogEntry.objects.get_for_object(appointment).get().actor == hr_officer_a
    event = ModelLogEntry.objects.get(action="promotions.merit_appointment.recorded")
    assert event.user == hr_officer_a and event.data["eligibility_check"] == check.pk

    dashboard = client.get(
        reverse("promotions_dashboard"), {"start": "2026-01-01", "end": "2026-12-01"}
    )
    [row] = dashboard.context["rows"]
    assert row["merit"] == 1


@pytest.mark.django_db
def test_a_person_not_eligible_on_that_day_is_refused_and_nothing_is_kept(
    client, rules, academy_manager, agency_a
):
    servant = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2012, 1, 1))
    rate(servant, LAST_FOUR)  # rated effective, but no training
    client.force_login(academy_manager)
    response = appointment_post(client, servant)
    assert response.status_code == 400
    assert "is not eligible for promotion without competition to C-O-3 on 27.11.2026" in (
        response.content.decode()
    )
    assert not MeritAppointment.objects.exists() and not EligibilityCheck.objects.exists()


@pytest.mark.django_db
def test_an_academy_manager_records_for_any_state_body(rules, academy_manager, agency_b):
    servant = eligible(agency_b)
    appointment = merit_appointment_record(
        servant=servant,
        position_title="Head of unit",
        category="C-O-3",
        appointed_on=DAY,
        actor=academy_manager,
    )
    assert appointment.agency == agency_b


@pytest.mark.django_db
def test_hr_cannot_record_for_another_state_body(client, rules, hr_officer_a, agency_b):
    admin_in_english(hr_officer_a)
    servant = eligible(agency_b)
    client.force_login(hr_officer_a)
    response = appointment_post(client, servant)
    assert response.status_code == 400
    assert "not one of your state bodies" in response.content.decode()
    assert not MeritAppointment.objects.exists() and not EligibilityCheck.objects.exists()


@pytest.mark.django_db
def test_others_may_not_record(client, rules, auditor, agency_a, servant_of_a):
    servant = eligible(agency_a)
    client.force_login(auditor)
    response = client.post(
        reverse("promotions_merit_appointment"),
        {"servant": servant.pk, "position_title": "Head", "category": "C-O-3", "appointed_on": DAY},
    )
    assert response.status_code in (302, 403)  # Wagtail sends refused users to its home page
    for actor in (auditor, servant_of_a.user):
        with pytest.raises(PermissionDenied):
            merit_appointment_record(
                servant=servant,
                position_title="Head",
                category="C-O-3",
                appointed_on=DAY,
                actor=actor,
            )
    assert not MeritAppointment.objects.exists()


@pytest.mark.django_db
def test_no_appointment_in_the_future_nor_twice(rules, academy_manager, agency_a, today):
    servant = eligible(agency_a)
    kwargs = {"servant": servant, "position_title": "Head", "category": "C-O-3"}
    with pytest.raises(ValidationError):
        merit_appointment_record(
            **kwargs, appointed_on=today + datetime.timedelta(days=1), actor=academy_manager
        )
    merit_appointment_record(**kwargs, appointed_on=DAY, actor=academy_manager)
    with translation.override("en"), pytest.raises(ValidationError, match="already recorded"):
        merit_appointment_record(**kwargs, appointed_on=DAY, actor=academy_manager)
    assert MeritAppointment.objects.count() == 1
