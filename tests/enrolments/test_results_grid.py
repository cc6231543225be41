"""The results grid (issue 15): nothing to record before a session starts, nothing filled in
for the academy, and each result says why it is what it is."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enrolments.models import Enrolment
from tests.factories import ProgrammeFactory, SessionFactory


def grid_data(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for i, (enrolment, hours, passed) in enumerate(rows):
        data[f"form-{i}-enrolment"] = enrolment.pk
        data[f"form-{i}-attended_hours"] = "" if hours is None else hours
        if passed:
            data[f"form-{i}-passed"] = "on"
    return data


@pytest.fixture
def session_of(make_servant, today):
    def make(days_from_today, people=2):
        starts = today + datetime.timedelta(days=days_from_today)
        session = SessionFactory(
            programme=ProgrammeFactory(academic_hours=120, required_attendance_percent=80),
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=10),
        )
        for name in ("Ахметов", "Бекова")[:people]:
            Enrolment.objects.create(
                servant=make_servant(last_name=name),
                session=session,
                status="enrolled",
                requested_at=timezone.now(),
            )
        return session

    return make


@pytest.mark.django_db
def test_a_session_not_yet_started_shows_one_message_and_no_grid(
    client, academy_manager, session_of
):
    session = session_of(7)
    client.force_login(academy_manager)
    url = reverse("enrolments_session_results", args=[session.pk])
    html = client.get(url).content.decode()
    assert html.count("Attendance and results can be recorded once it has started") == 1
    assert 'name="form-' not in html and "checked" not in html
    enrolments = list(session.enrolments.order_by("servant__last_name"))
    response = client.post(url, grid_data([(e, 120, True) for e in enrolments]), follow=True)
    assert set(session.enrolments.values_list("status", flat=True)) == {"enrolled"}
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Results can be recorded once the session has started."]


@pytest.mark.django_db
def test_the_grid_of_a_started_session_fills_in_nothing(client, academy_manager, session_of):
    session = session_of(-1)
    client.force_login(academy_manager)
    html = client.get(reverse("enrolments_session_results", args=[session.pk])).content.decode()
    assert html.count('name="form-') >= 8
    assert "checked" not in html
    assert 'name="form-0-attended_hours" value=' not in html


@pytest.mark.django_db
def test_a_result_says_why_it_is_not_passed_and_a_blank_row_waits(
    client, academy_manager, session_of
):
    session = session_of(-12)
    short, blank = session.enrolments.order_by("servant__last_name")
    client.force_login(academy_manager)
    url = reverse("enrolments_session_results", args=[session.pk])
    response = client.post(url, grid_data([(short, 60, True), (blank, None, False)]))
    assert response.status_code == 302
    short.refresh_from_db()
    blank.refresh_from_db()
    assert short.status == "failed" and blank.status == "enrolled"
    html = client.get(url).content.decode()
    assert (
        "Not passed because of attendance: attended 60 of the 96 hours required "
        "(at least 80% of 120), although the assessment was passed."
    ) in html
    # What was recorded is shown as recorded: 60 hours, "passed" ticked.
    assert 'value="60"' in html and html.count("checked") == 1
