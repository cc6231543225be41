"""The sessions as the academy runs them (issue 15): the list's columns, order and filters, a
session's page with its roster, and actions that fit the session's state."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enrolments import explanations
from enrolments.models import Enrolment, Priority
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory

LIST = "/admin/snippets/courses/session/"


def enrol(session, servant, status, minutes=0, **extra):
    return Enrolment.objects.create(
        servant=servant,
        session=session,
        status=status,
        requested_at=timezone.now()
        - datetime.timedelta(hours=1)
        + datetime.timedelta(minutes=minutes),
        **extra,
    )


def session_on(today, days, code, length=2, **extra):
    starts = today + datetime.timedelta(days=days)
    return SessionFactory(
        programme=ProgrammeFactory(code=code),
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=length),
        **extra,
    )


@pytest.fixture
def calendar(db, today):
    """Two sessions to come, one running, two finished."""
    return {
        "later": session_on(today, 40, "LATER"),
        "soon": session_on(today, 3, "SOON"),
        "running": session_on(today, -1, "RUNNING"),
        "last-week": session_on(today, -8, "LASTWEEK"),
        "last-year": session_on(today, -300, "LASTYEAR"),
    }


def codes_in_order(html: str, codes) -> list[str]:
    found = {code: html.find(f"{code} ") for code in codes}
    assert all(position >= 0 for position in found.values()), found
    return sorted(found, key=found.get)


@pytest.mark.django_db
def test_the_list_shows_seats_taken_waiting_and_pending(client, academy_manager, agency_a):
    session = SessionFactory(programme=ProgrammeFactory(code="SEATS"), capacity=3)
    enrol(session, ServantFactory(agency=agency_a), "enrolled")
    enrol(session, ServantFactory(agency=agency_a), "pending_approval")
    enrol(session, ServantFactory(agency=agency_a), "waitlisted")
    enrol(session, ServantFactory(agency=agency_a), "withdrawn")
    client.force_login(academy_manager)
    html = client.get(LIST).content.decode()
    row = html[html.find("SEATS ") :]
    row = row[: row.find("</tr>")]
    cells = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.split(r"<td[^>]*>", row)[1:]]
    start, end = session.starts_on, session.ends_on
    assert f"{start:%d.%m.%Y} – {end:%d.%m.%Y}" in cells[0]
    assert "2 / 3" in cells  # seats held: enrolled and awaiting approval
    assert cells[cells.index("2 / 3") + 1 :][:3] == ["1", "1", "Upcoming"]


@pytest.mark.django_db
def test_the_list_reads_the_same_number_of_queries_for_2_or_12_sessions(
    client, academy_manager, agency_a, today
):
    client.force_login(academy_manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for days in (-5, 5):
        enrol(session_on(today, days, f"Q{days}"), ServantFactory(agency=agency_a), "enrolled")
    few = queries()
    for days in range(-20, 30, 5):
        enrol(session_on(today, days, f"M{days}"), ServantFactory(agency=agency_a), "waitlisted")
    assert queries() == few


@pytest.mark.django_db
def test_sessions_to_come_are_listed_soonest_first_then_the_finished_latest_first(
    client, academy_manager, calendar
):
    client.force_login(academy_manager)
    html = client.get(LIST).content.decode()
    order = codes_in_order(html, ["LATER", "SOON", "RUNNING", "LASTWEEK", "LASTYEAR"])
    assert order == ["RUNNING", "SOON", "LATER", "LASTWEEK", "LASTYEAR"]
    # A column header still sorts by its own key.
    html = client.get(LIST, {"ordering": "-starts_on"}).content.decode()
    order = codes_in_order(html, ["LATER", "SOON", "RUNNING", "LASTWEEK", "LASTYEAR"])
    assert order == ["LATER", "SOON", "RUNNING", "LASTWEEK", "LASTYEAR"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "shown"),
    [
        ("upcoming", {"LATER", "SOON"}),
        ("running", {"RUNNING"}),
        ("finished", {"LASTWEEK", "LASTYEAR"}),
    ],
)
def test_the_list_filters_upcoming_running_and_finished(
    client, academy_manager, calendar, phase, shown
):
    client.force_login(academy_manager)
    html = client.get(LIST, {"phase": phase}).content.decode()
    listed = {
        code for code in ("LATER", "SOON", "RUNNING", "LASTWEEK", "LASTYEAR") if f"{code} " in html
    }
    assert listed == shown


@pytest.mark.django_db
def test_a_future_session_offers_no_results_and_no_certificates(client, academy_manager, calendar):
    client.force_login(academy_manager)
    soon, finished = calendar["soon"], calendar["last-week"]
    html = client.get(LIST).content.decode()
    for session, offered in ((soon, False), (finished, True)):
        for name in (
            "enrolments_session_results",
            "certificates_issue_session",
            "certificates_session_zip",
        ):
            assert (reverse(name, args=[session.pk]) in html) is offered, (session, name)
    cancel = reverse("enrolments_session_cancel", args=[soon.pk])
    assert cancel in html
    assert reverse("enrolments_session_cancel", args=[finished.pk]) not in html
    # The session's own page offers the same.
    page = client.get(reverse("wagtailsnippets_courses_session:inspect", args=[soon.pk]))
    page = page.content.decode()
    assert cancel in page
    assert reverse("certificates_issue_session", args=[soon.pk]) not in page
    assert reverse("certificates_session_zip", args=[soon.pk]) not in page
    assert reverse("enrolments_session_results", args=[soon.pk]) not in page
    page = client.get(reverse("wagtailsnippets_courses_session:inspect", args=[finished.pk]))
    page = page.content.decode()
    assert reverse("enrolments_session_results", args=[finished.pk]) in page
    assert reverse("certificates_issue_session", args=[finished.pk]) in page
    # And the issue screen itself refuses a session that has not started.
    issue = reverse("certificates_issue_session", args=[soon.pk])
    assert "once it has started" in client.get(issue).content.decode()
    client.post(issue)
    from core.models import BackgroundJob

    assert not BackgroundJob.objects.exists()


@pytest.mark.django_db
def test_the_session_page_lists_its_roster_with_queue_places_and_priority_reasons(
    client, academy_manager, agency_a, agency_b, hr_officer_a
):
    session = SessionFactory(programme=ProgrammeFactory(code="ROSTER"), capacity=1)
    enrol(session, ServantFactory(agency=agency_a, last_name="Сейітов"), "enrolled")
    enrol(session, ServantFactory(agency=agency_b, last_name="Бекова"), "waitlisted", minutes=1)
    enrol(
        session,
        ServantFactory(agency=agency_a, last_name="Әлиев"),
        "waitlisted",
        minutes=2,
        priority=Priority.RETRAINING_DUE,
        priority_basis=explanations.basis(
            explanations.RETRAINING_DUE, due="2027-03-01", appointed="2026-09-01"
        ),
    )
    client.force_login(academy_manager)
    url = reverse("wagtailsnippets_courses_session:inspect", args=[session.pk])
    html = client.get(url).content.decode()
    rows = html[html.find('class="session-roster"') :]
    rows = rows[rows.find("<tbody") : rows.find("</tbody>")]
    rows = [re.sub(r"<[^>]+>|\s+", " ", row).split() for row in re.split(r"<tr[^>]*>", rows)[1:]]
    names = [row[0] for row in rows]
    assert names == ["Сейітов", "Әлиев", "Бекова"]  # seat holder, then the queue in order
    assert "Retraining is due by March 1, 2027 (first appointed on Sept. 1, 2026)" in " ".join(
        rows[1]
    )
    assert rows[1][-1] != "—" and "1" in rows[1] and "2" in rows[2]
    assert agency_a.name_en in html and agency_b.name_en in html
    assert "Seats taken" in html and "1 / 1" in html
    # An HR officer sees the people of their own state bodies only.
    client.force_login(hr_officer_a)
    html = client.get(url).content.decode()
    assert "Сейітов" in html and "Әлиев" in html and "Бекова" not in html
