"""Mandatory training with due dates: the status computed from enrolments and qualification
records, who may assign to whom, bad input refused whole, automatic assignments once per lapse,
and the HR officer's list and form."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from core.dates import add_years
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from nominations import selectors, services
from nominations.models import Assignment, AssignmentSource, AssignmentStatus
from promotions.models import RuleSet
from tests.conftest import admin_in_english
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory, hr_officer_for


@pytest.fixture(autouse=True)
def in_english():
    """Messages are read in English here (the kk and ru wording is tested with notifications)."""
    with translation.override("en"):
        yield


def record(servant, *, hours=40, completed_on, programme=None, kind="upgrade", source="import"):
    return QualificationRecord.objects.create(
        servant=servant,
        programme=programme,
        title="Курс",
        kind=kind,
        provider="Академия",
        hours=hours,
        completed_on=completed_on,
        valid_until=completed_on + datetime.timedelta(days=1095),
        source=source,
    )


def status_of(assignment, today):
    return (
        selectors.assignments_with_status(Assignment.objects.filter(pk=assignment.pk), today=today)
        .get()
        .status
    )


def assign(actor, servants, *, today, programme=None, hours=None, days=30, reason="Талап"):
    return services.assignments_create(
        actor=actor,
        servants=servants,
        programme=programme,
        hours=hours,
        due_on=today + datetime.timedelta(days=days),
        reason=reason,
    )


@pytest.fixture
def programme(db):
    return ProgrammeFactory(code="ASSIGN-P", academic_hours=36, kind="upgrade")


@pytest.fixture
def two_people(agency_a):
    return [
        ServantFactory(agency=agency_a, last_name="Бекова", first_name="Дана"),
        ServantFactory(agency=agency_a, last_name="Сейтов", first_name="Нұрлан"),
    ]


# -- the computed status --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_assignment_is_assigned(hr_officer_a, two_people, programme, today):
    plan = assign(hr_officer_a, two_people[:1], today=today, programme=programme)
    assert status_of(plan.outcomes[0].assignment, today) == AssignmentStatus.ASSIGNED


@pytest.mark.django_db
def test_an_enrolment_in_a_session_of_the_programme_puts_it_in_progress(
    hr_officer_a, two_people, programme, today
):
    person = two_people[0]
    assignment = assign(hr_officer_a, [person], today=today, programme=programme).outcomes[0]
    session = SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
    )
    Enrolment.objects.create(
        servant=person,
        session=session,
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now(),
    )
    assert status_of(assignment.assignment, today) == AssignmentStatus.IN_PROGRESS


@pytest.mark.django_db
def test_an_imported_record_of_the_programme_completes_it_and_is_named(
    hr_officer_a, two_people, programme, today
):
    person = two_people[0]
    assignment = assign(hr_officer_a, [person], today=today, programme=programme).outcomes[0]
    done = record(person, completed_on=today, programme=programme, source="import")
    rows = selectors.attach_completions(
        list(
            selectors.assignments_with_status(
                Assignment.objects.filter(pk=assignment.assignment.pk), today=today
            )
        )
    )
    assert rows[0].status == AssignmentStatus.COMPLETED
    assert rows[0].completed_by == done


@pytest.mark.django_db
def test_hours_are_completed_by_the_record_that_reaches_the_sum(hr_officer_a, two_people, today):
    person = two_people[0]
    assignment = assign(hr_officer_a, [person], today=today, hours=30).outcomes[0].assignment
    record(person, hours=16, completed_on=today, kind="upgrade")
    record(person, hours=40, completed_on=today, kind="seminar")  # seminars do not count
    assert status_of(assignment, today) == AssignmentStatus.ASSIGNED
    second = record(person, hours=16, completed_on=today, kind="upgrade")
    rows = selectors.attach_completions(
        list(selectors.assignments_with_status(Assignment.objects.all(), today=today))
    )
    assert rows[0].status == AssignmentStatus.COMPLETED
    assert rows[0].completed_by == second


@pytest.mark.django_db
def test_training_completed_before_the_assignment_does_not_complete_it(
    hr_officer_a, two_people, today
):
    person = two_people[0]
    record(person, hours=80, completed_on=today - datetime.timedelta(days=3))
    assignment = assign(hr_officer_a, [person], today=today, hours=30).outcomes[0].assignment
    assert status_of(assignment, today) == AssignmentStatus.ASSIGNED


@pytest.mark.django_db
def test_an_assignment_past_its_due_date_is_overdue_even_when_enrolled(
    hr_officer_a, two_people, programme, today
):
    person = two_people[0]
    assignment = assign(hr_officer_a, [person], today=today, programme=programme, days=5)
    later = today + datetime.timedelta(days=6)
    assert status_of(assignment.outcomes[0].assignment, later) == AssignmentStatus.OVERDUE
    record(person, completed_on=later, programme=programme)
    assert status_of(assignment.outcomes[0].assignment, later) == AssignmentStatus.COMPLETED


@pytest.mark.django_db
def test_the_list_computes_the_status_in_a_fixed_number_of_queries(
    hr_officer_a, agency_a, programme, today, django_assert_max_num_queries
):
    people = [ServantFactory(agency=agency_a) for _ in range(12)]
    assign(hr_officer_a, people, today=today, programme=programme)
    for person in people[:6]:
        record(person, completed_on=today, programme=programme)
    with django_assert_max_num_queries(3):
        rows = selectors.attach_completions(
            list(selectors.assignments_visible_to(hr_officer_a, today=today))
        )
        assert [r.completed_by is not None for r in rows].count(True) == 6
        assert {r.servant.agency.name for r in rows} == {agency_a.name}


# -- scoping and bad input ------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_sees_only_the_assignments_of_their_own_state_bodies(
    hr_officer_a, agency_b, two_people, programme, academy_manager, today
):
    assign(hr_officer_a, two_people, today=today, programme=programme)
    other = ServantFactory(agency=agency_b)
    assign(academy_manager, [other], today=today, programme=programme)
    mine = selectors.assignments_visible_to(hr_officer_a, today=today)
    assert {a.servant for a in mine} == set(two_people)
    assert selectors.assignments_visible_to(academy_manager, today=today).count() == 3
    hr_b = hr_officer_for(agency_b, username="hr-b-assign")
    assert selectors.assignments_visible_to(hr_b, today=today).count() == 1


@pytest.mark.django_db
def test_a_person_of_another_state_body_is_refused_like_an_unknown_one_and_nothing_is_written(
    hr_officer_a, agency_b, two_people, programme, today
):
    other = ServantFactory(agency=agency_b, last_name="Чужой")
    with pytest.raises(ValidationError) as refused:
        assign(hr_officer_a, [two_people[0], other], today=today, programme=programme)
    assert refused.value.messages == [services.unknown_person_message(other.pk)]
    assert "Чужой" not in str(refused.value.messages)
    assert not Assignment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "days", "message"),
    [
        ({"hours": None}, 30, "Choose a programme or enter the academic hours"),
        ({"hours": 0}, 30, "Academic hours: enter a whole number above zero"),
        ({"hours": -4}, 30, "Academic hours: enter a whole number above zero"),
        ({"hours": 16, "programme": True}, 30, "Choose either a programme or the academic hours"),
        ({"hours": 16}, -1, "Due date:"),
    ],
)
def test_bad_input_is_refused_whole_with_a_message_naming_the_field(
    hr_officer_a, two_people, programme, today, what, days, message
):
    what = dict(what)
    if what.pop("programme", False):
        what["programme"] = programme
    with pytest.raises(ValidationError) as refused:
        assign(hr_officer_a, two_people, today=today, days=days, **what)
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_the_same_programme_twice_is_skipped_with_the_reason_and_a_completed_one_too(
    hr_officer_a, two_people, agency_a, programme, today
):
    first, second = two_people
    third = ServantFactory(agency=agency_a, last_name="Әлиев", first_name="Марат")
    assign(hr_officer_a, [first], today=today, programme=programme)
    record(third, completed_on=today - datetime.timedelta(days=100), programme=programme)
    plan = services.assignment_preview(
        actor=hr_officer_a,
        servants=[first, second, third],
        programme=programme,
        due_on=today + datetime.timedelta(days=60),
    )
    outcomes = {o.servant: o for o in plan.outcomes}
    assert outcomes[second].result == services.ASSIGN
    assert outcomes[first].result == services.SKIPPED
    assert outcomes[first].reason.startswith(f"{first.full_name} already has this training")
    assert outcomes[third].reason.startswith(f"{third.full_name} already completed")
    assign(hr_officer_a, [first, second, third], today=today, programme=programme)
    assert Assignment.objects.filter(programme=programme).count() == 2


@pytest.mark.django_db
def test_a_servant_may_not_assign_training(servant_of_a, two_people, programme, today):
    with pytest.raises(PermissionDenied):
        assign(servant_of_a.user, two_people, today=today, programme=programme)


@pytest.mark.django_db
def test_cancelling_ends_an_assignment_once(hr_officer_a, two_people, programme, today):
    assignment = assign(hr_officer_a, two_people[:1], today=today, programme=programme)
    assignment = assignment.outcomes[0].assignment
    services.assignment_cancel(assignment=assignment, actor=hr_officer_a)
    assert status_of(assignment, today) == AssignmentStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.assignment_cancel(assignment=assignment, actor=hr_officer_a)
    # Cancelled, the programme may be assigned again.
    assert assign(hr_officer_a, two_people[:1], today=today, programme=programme).assigned == 1


# -- automatic assignments ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_requirement_lapsing_within_90_days_is_assigned_once_per_lapse(agency_a, today):
    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    lapsing = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2010, 1, 1))
    oldest = add_years(today, -3) + datetime.timedelta(days=30)
    record(lapsing, hours=24, completed_on=oldest)
    record(lapsing, hours=16, completed_on=today - datetime.timedelta(days=200))
    comfortable = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2010, 1, 1))
    record(comfortable, hours=40, completed_on=today - datetime.timedelta(days=100))
    for _run in range(2):
        call_command("assign_lapsing_training", stdout=io.StringIO())
    assignment = Assignment.objects.get()
    lapses_on = add_years(oldest, 3)
    assert assignment.servant == lapsing
    assert assignment.source == AssignmentSource.LAPSE
    assert assignment.due_on == assignment.lapses_on == lapses_on
    assert assignment.hours == 36 - 16  # what the remaining record leaves missing then
    assert lapses_on.strftime("%d.%m.%Y") in assignment.reason_text
    assert services.lapsing_assignments_create(as_of=today) == 0


# -- the screens ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_previews_then_confirms_an_assignment_for_a_group(
    client, hr_officer_a, two_people, programme, agency_b, today
):
    other = ServantFactory(agency=agency_b, last_name="Чужой")
    client.force_login(admin_in_english(hr_officer_a))
    page = client.get("/admin/assignments/assign/", {"q": "", "agency": ""})
    assert page.status_code == 200
    body = page.content.decode()
    assert two_people[0].full_name in body and "Чужой" not in body
    data = {
        "servants": [p.pk for p in two_people],
        "programme": programme.pk,
        "due_on": (today + datetime.timedelta(days=30)).isoformat(),
        "reason": "Ведомство талабы",
    }
    preview = client.post("/admin/assignments/assign/", {**data, "action": "preview"})
    assert preview.status_code == 200
    assert preview.content.decode().count('data-outcome="assign"') == 2
    assert not Assignment.objects.exists()
    done = client.post("/admin/assignments/assign/", {**data, "action": "confirm"})
    assert done.status_code == 302 and "/admin/assignments/?batch=" in done["Location"]
    assert Assignment.objects.filter(assigned_by=hr_officer_a).count() == 2
    listing = client.get(done["Location"]).content.decode()
    assert two_people[1].full_name in listing
    # Another body's person posted by hand reads as an unknown one; nothing is written.
    refused = client.post(
        "/admin/assignments/assign/", {**data, "servants": [other.pk], "action": "confirm"}
    )
    with translation.override("en"):  # the request left its own language active
        assert services.unknown_person_message(other.pk) in refused.content.decode()
    assert Assignment.objects.count() == 2


@pytest.mark.django_db
def test_a_due_date_in_the_past_is_shown_on_the_form(client, hr_officer_a, two_people, today):
    client.force_login(admin_in_english(hr_officer_a))
    answer = client.post(
        "/admin/assignments/assign/",
        {
            "servants": [two_people[0].pk],
            "hours": "16",
            "due_on": (today - datetime.timedelta(days=1)).isoformat(),
            "reason": "x",
            "action": "confirm",
        },
    )
    assert "Due date:" in answer.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_the_list_filters_by_status_counts_each_and_cancels(
    client, hr_officer_a, two_people, programme, today
):
    assign(hr_officer_a, two_people, today=today, programme=programme)
    record(two_people[0], completed_on=today, programme=programme)
    client.force_login(admin_in_english(hr_officer_a))
    body = client.get("/admin/assignments/", {"status": "completed"}).content.decode()
    assert 'data-status="completed"' in body and two_people[0].full_name in body
    assert two_people[1].full_name not in body
    assert '<li data-status="completed"' in body
    open_one = Assignment.objects.get(servant=two_people[1])
    answer = client.post("/admin/assignments/", {"cancel": open_one.pk, "next": "status=open"})
    assert answer.status_code == 302 and answer["Location"].endswith("?status=open")
    assert Assignment.objects.get(pk=open_one.pk).cancelled_at is not None


@pytest.mark.django_db
def test_hr_of_another_body_cannot_cancel(client, agency_b, two_people, programme, today):
    hr_a = hr_officer_for(two_people[0].agency, username="hr-a-2")
    assignment = assign(hr_a, two_people[:1], today=today, programme=programme)
    hr_b = hr_officer_for(agency_b, username="hr-b-2")
    client.force_login(hr_b)
    answer = client.post("/admin/assignments/", {"cancel": assignment.outcomes[0].assignment.pk})
    assert answer.status_code == 404
    assert Assignment.objects.get().cancelled_at is None


@pytest.mark.django_db
def test_the_home_panel_counts_overdue_assignments_and_links_to_them(
    client, hr_officer_a, two_people, today
):
    Assignment.objects.create(
        servant=two_people[0],
        hours=16,
        due_on=today - datetime.timedelta(days=2),
        assigned_on=today - datetime.timedelta(days=40),
        reason="Талап",
    )
    client.force_login(admin_in_english(hr_officer_a))
    body = client.get("/admin/").content.decode()
    assert "home-overdue-assignments" in body
    assert "/admin/assignments/?status=overdue" in body
    assert two_people[0].full_name in body


@pytest.mark.django_db
def test_my_learning_shows_the_open_assignments(client, servant_of_a, today):
    Assignment.objects.create(
        servant=servant_of_a,
        hours=24,
        due_on=today + datetime.timedelta(days=20),
        assigned_on=today,
        reason="Бөлім талабы",
    )
    client.force_login(servant_of_a.user)
    body = client.get("/ru/my/").content.decode()
    assert 'data-status="assigned"' in body
    assert (today + datetime.timedelta(days=20)).strftime("%d.%m.%Y") in body
    assert "Бөлім талабы" in body


@pytest.mark.django_db
def test_the_programme_filter_offers_only_what_the_users_people_were_assigned(
    client, hr_officer_a, academy_manager, agency_b, two_people, programme, today
):
    theirs = ProgrammeFactory(code="ONLY-B")
    assign(hr_officer_a, two_people[:1], today=today, programme=programme)
    assign(academy_manager, [ServantFactory(agency=agency_b)], today=today, programme=theirs)
    client.force_login(admin_in_english(hr_officer_a))
    body = client.get("/admin/assignments/").content.decode()
    assert "ASSIGN-P" in body and "ONLY-B" not in body


@pytest.mark.django_db
def test_the_list_page_reads_as_many_queries_for_twelve_rows_as_for_two(
    client, hr_officer_a, agency_a, programme, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/assignments/").status_code == 200
        return len(captured)

    client.force_login(admin_in_english(hr_officer_a))
    people = [ServantFactory(agency=agency_a) for _ in range(12)]
    assign(hr_officer_a, people[:2], today=today, programme=programme)
    record(people[0], completed_on=today, programme=programme)
    few = queries()
    assign(hr_officer_a, people[2:], today=today, programme=programme)
    for person in people[2:8]:
        record(person, completed_on=today, programme=programme)
    assert queries() == few


@pytest.mark.django_db
def test_my_learning_asks_once_about_nominations_and_assignments_of_a_person_with_none(
    client, servant_of_a
):
    """My learning is the page servants open most: a person never nominated nor assigned costs
    one plain query for each block (not the status query, not a second nominations query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(servant_of_a.user)
    client.get("/ru/my/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ru/my/").status_code == 200
    touched = [q["sql"] for q in queries.captured_queries if '"nominations_' in q["sql"]]
    assert len([sql for sql in touched if 'FROM "nominations_nomination"' in sql]) == 1
    assert len([sql for sql in touched if 'FROM "nominations_assignment"' in sql]) == 1
    assert not [sql for sql in touched if "CASE WHEN" in sql]


@pytest.mark.django_db
def test_a_cancelled_assignment_leaves_my_learning(client, hr_officer_a, servant_of_a, today):
    assignment = Assignment.objects.create(
        servant=servant_of_a,
        hours=24,
        due_on=today + datetime.timedelta(days=20),
        assigned_on=today,
        reason="Бөлім талабы",
    )
    client.force_login(servant_of_a.user)
    assert f'data-assignment="{assignment.pk}"' in client.get("/ru/my/").content.decode()
    services.assignment_cancel(assignment=assignment, actor=hr_officer_a)
    assert f'data-assignment="{assignment.pk}"' not in client.get("/ru/my/").content.decode()
