import datetime

import pytest

from promotions.models import RuleSet
from promotions.services import training_lapse_reminders
from tests.factories import PositionFactory, ProgrammeFactory, ServantFactory, SessionFactory

from .test_eligibility import train


@pytest.fixture
def rules(db):
    return RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))


def add_years(day, years):
    from core.dates import add_years as shift

    return shift(day, years)


@pytest.fixture
def open_course(db):
    programme = ProgrammeFactory(code="DIGITAL-C", academic_hours=40, kind="upgrade")
    return SessionFactory(programme=programme)


@pytest.mark.django_db
def test_a_lapsing_requirement_is_reminded_once_to_the_servant_and_hr(
    rules,
    agency_a,
    hr_officer_a,
    open_course,
    mailoutbox,
    django_capture_on_commit_callbacks,
    today,
):
    hr_officer_a.email = "hr@example.kz"
    hr_officer_a.save()
    servant = ServantFactory(
        agency=agency_a,
        email="s@example.kz",
        preferred_language="en",
        first_appointed_on=datetime.date(2010, 1, 1),
    )
    # 40 hours done almost three years ago: they leave the window in 30 days.
    train(servant, 40, add_years(today, -3) + datetime.timedelta(days=30))
    comfortable = ServantFactory(
        agency=agency_a, email="ok@example.kz", first_appointed_on=datetime.date(2010, 1, 1)
    )
    train(comfortable, 40, today - datetime.timedelta(days=100))
    with django_capture_on_commit_callbacks(execute=True):
        assert training_lapse_reminders(as_of=today) == 1
        assert training_lapse_reminders(as_of=today) == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["hr@example.kz", "s@example.kz"]
    servant_mail = next(m for m in mailoutbox if m.to == ["s@example.kz"])
    assert "DIGITAL-C" in servant_mail.body and "lapses on" in servant_mail.body


@pytest.mark.django_db
def test_my_learning_shows_the_path_with_sessions_that_close_the_gap(
    client, rules, agency_a, open_course, today
):
    from core.authorization import CIVIL_SERVANTS
    from tests.factories import UserFactory

    user = UserFactory(username="path", role=CIVIL_SERVANTS)
    servant = ServantFactory(
        agency=agency_a,
        user=user,
        position=PositionFactory(agency=agency_a, category="C-O-4"),
        first_appointed_on=datetime.date(2010, 1, 1),
    )
    train(servant, 8, today - datetime.timedelta(days=200))
    client.force_login(user)
    body = client.get("/en/my/").content.decode()
    assert "My path to promotion without competition" in body
    assert "28 more academic hours of qualification upgrade" in body
    assert "DIGITAL-C" in body or open_course.programme.title_en in body
    assert "meets the training requirement" in body


@pytest.mark.django_db
def test_no_path_section_without_rules(client, servant_of_a):
    client.force_login(servant_of_a.user)
    assert "My path to promotion" not in client.get("/en/my/").content.decode()


@pytest.mark.django_db
def test_the_reminders_sessions_are_found_in_a_fixed_number_of_queries(
    rules, agency_a, django_assert_max_num_queries, today
):
    """The reminder e-mail's "sessions that would renew it" (`sessions_that_close_the_gap`)
    evaluates every open session in memory, as My learning's path does: one open session
    or fifteen, the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promotions.services import path_to_eligibility, sessions_that_close_the_gap

    servant = ServantFactory(
        agency=agency_a,
        position=PositionFactory(agency=agency_a, category="C-O-4"),
        first_appointed_on=datetime.date(2010, 1, 1),
    )
    train(servant, 8, today - datetime.timedelta(days=200))

    def open_sessions(n, hours):
        for _i in range(n):
            SessionFactory(programme=ProgrammeFactory(academic_hours=hours, kind="upgrade"))

    open_sessions(1, 40)
    with CaptureQueriesContext(connection) as one:
        assert len(sessions_that_close_the_gap(servant=servant, as_of=today)) == 1
    open_sessions(14, 8)
    with django_assert_max_num_queries(len(one.captured_queries)):
        options = sessions_that_close_the_gap(servant=servant, as_of=today)
    assert [met for _session, met in options] == [True, False, False, False, False]
    assert options == path_to_eligibility(servant=servant, as_of=today)[1]
