"""The civil servant's pages: enrol from the programme page, My learning, calendars."""

import icalendar
import pytest
from django.urls import reverse

from enrolments.models import CalendarFeed, Enrolment, QualificationRecord
from enrolments.services import enrolment_request


@pytest.mark.django_db
def test_enrol_from_the_programme_page_then_see_it_in_my_learning(
    client, open_session, make_servant
):
    servant = make_servant()
    client.force_login(servant.user)
    page = client.get(f"/en/programmes/{open_session.programme.code}/").content.decode()
    assert f'action="/en/sessions/{open_session.pk}/enrol/"' in page
    response = client.post(f"/en/sessions/{open_session.pk}/enrol/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/my/"
    body = response.content.decode()
    assert "You are enrolled." in body
    assert open_session.programme.title_en in body
    assert Enrolment.objects.get(servant=servant).status == "enrolled"
    # The programme page now shows the status instead of the button.
    page = client.get(f"/en/programmes/{open_session.programme.code}/").content.decode()
    assert f'action="/en/sessions/{open_session.pk}/enrol/"' not in page


@pytest.mark.django_db
def test_a_full_session_shows_the_queue_place(client, open_session, make_servant):
    for _ in range(2):
        s = make_servant()
        enrolment_request(servant=s, session=open_session, actor=s.user)
    servant = make_servant()
    client.force_login(servant.user)
    page = client.get(f"/en/programmes/{open_session.programme.code}/").content.decode()
    assert "Join the waiting list" in page
    response = client.post(f"/en/sessions/{open_session.pk}/enrol/", follow=True)
    body = response.content.decode()
    assert "number 1 on the waiting list" in body
    assert "Place in the queue: 1" in body


@pytest.mark.django_db
def test_a_refusal_is_explained_on_the_programme_page(client, make_servant):
    from tests.factories import ProgrammeFactory, SessionFactory

    session = SessionFactory(programme=ProgrammeFactory(audience="D-1"))
    servant = make_servant()
    client.force_login(servant.user)
    response = client.post(f"/en/sessions/{session.pk}/enrol/", follow=True)
    assert "This programme is for categories D-1" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrolling_needs_login_and_post(client, open_session):
    response = client.post(f"/en/sessions/{open_session.pk}/enrol/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/en/sessions/{open_session.pk}/enrol/").status_code in (302, 405)


@pytest.mark.django_db
def test_withdraw_button_works_for_own_enrolments_only(client, open_session, make_servant):
    owner, other = make_servant(), make_servant()
    enrolment = enrolment_request(servant=owner, session=open_session, actor=owner.user)
    client.force_login(other.user)
    assert client.post(reverse("withdraw", args=[enrolment.pk])).status_code == 404
    client.force_login(owner.user)
    response = client.post(
        reverse("withdraw", args=[enrolment.pk]), {"confirm": "yes"}, follow=True
    )
    assert "You have withdrawn" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"


@pytest.mark.django_db
def test_withdrawing_asks_first_and_changes_nothing_until_confirmed(
    client, open_session, make_servant
):
    servant = make_servant()
    enrolment = enrolment_request(servant=servant, session=open_session, actor=servant.user)
    client.force_login(servant.user)
    my = client.get("/en/my/").content.decode()
    # My learning links to the question; it has no form that withdraws at once.
    assert f'href="/en/my/enrolments/{enrolment.pk}/withdraw/"' in my
    assert f'action="/en/my/enrolments/{enrolment.pk}/withdraw/"' not in my

    question = client.get(f"/en/my/enrolments/{enrolment.pk}/withdraw/").content.decode()
    assert "Withdraw from the session?" in question
    assert open_session.programme.title_en in question
    assert 'name="confirm" value="yes"' in question and "No, keep my place" in question
    # A POST without the confirmation (an old form, a double click) only asks again.
    again = client.post(f"/en/my/enrolments/{enrolment.pk}/withdraw/")
    assert again.status_code == 200 and "Withdraw from the session?" in again.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"

    client.post(f"/en/my/enrolments/{enrolment.pk}/withdraw/", {"confirm": "yes"})
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"
    # Nothing left to withdraw: the question page sends back with the service's reason.
    response = client.get(f"/en/my/enrolments/{enrolment.pk}/withdraw/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/my/"
    assert "cannot be withdrawn" in response.content.decode()


@pytest.mark.django_db
def test_the_programme_page_shows_why_before_the_click(client, make_servant, today):
    import datetime

    from tests.factories import PositionFactory, ProgrammeFactory, SessionFactory

    servant = make_servant(position=PositionFactory(category="C-O-4"))
    closed_to_me = SessionFactory(
        programme=ProgrammeFactory(code="FOR-D", audience="D-O-*"),
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=11),
    )
    not_yet = SessionFactory(
        programme=ProgrammeFactory(code="LATER"),
        starts_on=today + datetime.timedelta(days=80),
        ends_on=today + datetime.timedelta(days=81),
    )
    client.force_login(servant.user)

    body = client.get("/en/programmes/FOR-D/").content.decode()
    assert f'action="/en/sessions/{closed_to_me.pk}/enrol/"' not in body
    assert f'disabled aria-describedby="why-{closed_to_me.pk}"' in body
    assert "This programme is for categories D-O-*; your position&#x27;s category is C-O-4." in body
    # The catalog card says it too.
    catalog = client.get("/en/programmes/?q=FOR-D").content.decode()
    assert 'data-refusal="audience"' in catalog

    body = client.get("/en/programmes/LATER/").content.decode()
    assert f'action="/en/sessions/{not_yet.pk}/enrol/"' not in body
    assert 'data-refusal="window_closed"' in body
    assert f"open from {not_yet.opens_on:%d.%m.%Y} to {not_yet.closes_on:%d.%m.%Y}" in body


@pytest.mark.django_db
def test_my_learning_lists_the_soonest_session_first(client, make_servant, today):
    import datetime

    from tests.factories import ProgrammeFactory, SessionFactory

    servant = make_servant()
    for code, days in (("LATE", 20), ("SOON", 5), ("MIDDLE", 12)):
        session = SessionFactory(
            programme=ProgrammeFactory(code=code),
            starts_on=today + datetime.timedelta(days=days),
            ends_on=today + datetime.timedelta(days=days + 1),
            enrolment_opens_on=today - datetime.timedelta(days=1),
            enrolment_closes_on=today + datetime.timedelta(days=1),
        )
        enrolment_request(servant=servant, session=session, actor=servant.user)
    client.force_login(servant.user)
    body = client.get("/en/my/").content.decode()
    upcoming = body[body.index('id="upcoming-h"') : body.index('id="record-h"')]
    positions = [upcoming.index(f"/en/programmes/{code}/") for code in ("SOON", "MIDDLE", "LATE")]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_my_learning_says_why_an_enrolment_was_cancelled_or_rejected(
    client, open_session, make_servant, academy_manager
):
    from enrolments.services import enrolment_decide, session_cancel
    from tests.factories import ProgrammeFactory, SessionFactory

    servant = make_servant()
    enrolment_request(servant=servant, session=open_session, actor=servant.user)
    session_cancel(session=open_session, actor=academy_manager, reason="The trainer is ill")
    approval = SessionFactory(
        programme=ProgrammeFactory(code="NEEDS-OK", requires_approval=True),
        starts_on=open_session.starts_on,
        ends_on=open_session.ends_on,
    )
    pending = enrolment_request(servant=servant, session=approval, actor=servant.user)
    enrolment_decide(
        enrolment=pending, approve=False, actor=academy_manager, reason="Not your profile"
    )
    client.force_login(servant.user)
    body = client.get("/en/my/").content.decode()
    assert "The academy cancelled the session: The trainer is ill" in body
    assert "Reason for the rejection: Not your profile" in body


@pytest.mark.django_db
def test_the_private_calendar_address_is_a_read_only_field_with_a_copy_button(client, make_servant):
    servant = make_servant()
    client.force_login(servant.user)
    client.post(reverse("calendar_link"))
    body = client.get("/en/my/").content.decode()
    token = CalendarFeed.objects.get(servant=servant).token
    assert f'readonly value="http://testserver/en/my/calendar/{token}.ics"' in body
    assert 'data-copy="feed-url"' in body and "js/copy.js" in body


@pytest.mark.django_db
def test_my_learning_shows_the_record_and_hours_in_three_years(client, make_servant, today):
    import datetime

    from core.dates import add_years

    servant = make_servant()
    for years_ago, hours in ((1, 36), (2, 40), (4, 72)):
        day = add_years(today, -years_ago)
        QualificationRecord.objects.create(
            servant=servant,
            title=f"Курс {hours}",
            kind="upgrade",
            provider="Academy",
            hours=hours,
            completed_on=day,
            valid_until=day + datetime.timedelta(days=1095),
            source="import",
        )
    client.force_login(servant.user)
    body = client.get("/en/my/").content.decode()
    assert "The requirement of 36 academic hours is met and exceeded: 76 h of qualification" in body
    assert "Курс 72" in body  # older records stay in the transcript


@pytest.mark.django_db
def test_my_learning_without_a_servant_record_explains(client, academy_manager):
    client.force_login(academy_manager)
    response = client.get("/en/my/")
    assert response.status_code == 403
    assert "not linked to a civil servant record" in response.content.decode()


@pytest.mark.django_db
def test_public_calendar_lists_upcoming_sessions(client, open_session):
    response = client.get("/kk/sessions.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [open_session.programme.title_kk]
    assert events[0].decoded("dtstart") == open_session.starts_on


@pytest.mark.django_db
def test_private_calendar_needs_the_token(client, open_session, make_servant):
    servant = make_servant()
    enrolment_request(servant=servant, session=open_session, actor=servant.user)
    client.force_login(servant.user)
    client.post(reverse("calendar_link"))
    token = CalendarFeed.objects.get(servant=servant).token
    assert len(token) >= 32
    client.logout()
    calendar = icalendar.Calendar.from_ical(client.get(f"/ru/my/calendar/{token}.ics").content)
    assert len(calendar.walk("VEVENT")) == 1
    assert client.get("/ru/my/calendar/not-the-token.ics").status_code == 404


@pytest.mark.django_db
def test_my_learning_reads_a_fixed_number_of_queries_however_much_there_is(
    client, make_servant, django_assert_max_num_queries
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from enrolments.models import EnrolmentStatus
    from promotions.models import RuleSet
    from tests.factories import PositionFactory, ProgrammeFactory, SessionFactory
    from tests.promotions.test_eligibility import train

    today = timezone.localdate()
    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    servant = make_servant(position=PositionFactory(category="C-O-4"))
    others = [make_servant() for _ in range(2)]

    def open_upgrade_session(code: str, capacity: int = 1):
        programme = ProgrammeFactory(code=code, academic_hours=16, kind="upgrade")
        return SessionFactory(
            programme=programme,
            starts_on=today + datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=12),
            capacity=capacity,
        )

    def add_enrolments_and_records(n: int, start: int) -> None:
        for index in range(start, start + n):
            session = open_upgrade_session(f"UP-{index}")
            enrolment_request(servant=others[0], session=session, actor=others[0].user)
            enrolment_request(servant=servant, session=session, actor=servant.user)
            train(servant, 4, today - datetime.timedelta(days=30 + index))

    add_enrolments_and_records(1, 0)
    client.force_login(servant.user)
    client.get("/en/my/")  # caches (site settings, content types) are not the point
    with CaptureQueriesContext(connection) as one:
        page = client.get("/en/my/").content.decode()
    assert "Place in the queue: 1" in page
    assert "Open sessions that would help" in page

    add_enrolments_and_records(6, 1)
    for index in range(6):
        open_upgrade_session(f"MORE-{index}", capacity=5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/en/my/").content.decode()
    assert page.count("Place in the queue: 1") == 7
    assert Enrolment.objects.filter(servant=servant, status=EnrolmentStatus.WAITLISTED).count() == 7


@pytest.mark.django_db
def test_my_learning_writes_nothing_the_calendar_link_is_a_post(client, make_servant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    servant = make_servant()
    client.force_login(servant.user)
    # Wagtail creates the branch's settings row on the first page of a new site: not ours.
    client.get("/en/programmes/")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/en/my/").content.decode()
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == [] and not CalendarFeed.objects.exists()
    assert "Get calendar link" in body and 'class="calendar-link"' not in body
    assert client.get(reverse("calendar_link")).status_code == 405  # a GET makes no link

    response = client.post(reverse("calendar_link"), follow=True)
    first = CalendarFeed.objects.get(servant=servant).token
    body = response.content.decode()
    assert "Your calendar link is ready." in body and f"/my/calendar/{first}.ics" in body
    assert "New link" in body
    client.get("/en/my/")
    assert CalendarFeed.objects.get(servant=servant).token == first  # reading changes nothing

    # A new link replaces the old one, which stops working.
    client.post(reverse("calendar_link"))
    second = CalendarFeed.objects.get(servant=servant).token
    assert second != first and CalendarFeed.objects.count() == 1
    client.logout()
    assert client.get(f"/en/my/calendar/{first}.ics").status_code == 404
    assert client.get(f"/en/my/calendar/{second}.ics").status_code == 200


@pytest.mark.django_db
def test_the_calendar_link_needs_a_login_and_csrf(make_servant):
    from django.test import Client

    servant = make_servant()
    response = Client().post(reverse("calendar_link"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(servant.user)
    assert strict.post(reverse("calendar_link")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_only_the_servant_gets_their_own_calendar_link(make_servant):
    from django.core.exceptions import PermissionDenied

    from enrolments.calendar_feeds import calendar_feed_rotate

    servant, other = make_servant(), make_servant()
    with pytest.raises(PermissionDenied):
        calendar_feed_rotate(servant=servant, actor=other.user)
    assert not CalendarFeed.objects.exists()
