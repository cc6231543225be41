"""Back-office screens: approvals, the results grid, cancelling, capacity, scoped lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.authorization import CIVIL_SERVANTS
from courses.models import Session
from enrolments.models import Enrolment, QualificationRecord
from enrolments.services import enrolment_request
from tests.factories import ProgrammeFactory, SessionFactory, UserFactory


def request(servant, session):
    return enrolment_request(servant=servant, session=session, actor=servant.user)


@pytest.fixture
def approval_session(db):
    return SessionFactory(programme=ProgrammeFactory(requires_approval=True), capacity=5)


@pytest.mark.django_db
def test_hr_sees_only_their_agencys_pending_requests_and_decides(
    client, approval_session, make_servant, servant_of_b, hr_officer_a
):
    mine = request(make_servant(last_name="Сейітов"), approval_session)
    servant_of_b.user = UserFactory(username="b", role=CIVIL_SERVANTS)
    servant_of_b.save()
    theirs = request(servant_of_b, approval_session)
    client.force_login(hr_officer_a)
    body = client.get(reverse("enrolments_approvals")).content.decode()
    assert "Сейітов" in body and servant_of_b.last_name not in body
    # Deciding someone else's request is impossible even by posting its id.
    response = client.post(
        reverse("enrolments_approvals"), {"enrolment": theirs.pk, "decision": "approve"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("enrolments_approvals"), {"enrolment": mine.pk, "decision": "reject", "reason": ""}
    )
    mine.refresh_from_db()
    assert mine.status == "pending_approval"  # no reason, no rejection
    client.post(reverse("enrolments_approvals"), {"enrolment": mine.pk, "decision": "approve"})
    mine.refresh_from_db()
    assert mine.status == "enrolled" and mine.decided_by == hr_officer_a


@pytest.mark.django_db
def test_results_grid_records_a_whole_session_at_once(
    client, past_session, make_servant, academy_manager
):
    enrolments = [
        Enrolment.objects.create(
            servant=make_servant(),
            session=past_session,
            status="enrolled",
            requested_at=past_session.updated_at,
        )
        for _ in range(3)
    ]
    client.force_login(academy_manager)
    url = reverse("enrolments_session_results", args=[past_session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="form-') >= 9
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3"}
    rows = [(40, True), (20, True), (0, False)]
    ordered = sorted(enrolments, key=lambda e: (e.servant.last_name, e.servant.first_name))
    for i, (enrolment, (hours, passed)) in enumerate(zip(ordered, rows, strict=True)):
        data[f"form-{i}-enrolment"] = enrolment.pk
        data[f"form-{i}-attended_hours"] = hours
        if passed:
            data[f"form-{i}-passed"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in ordered]
    assert statuses == ["completed", "failed", "no_show"]
    assert QualificationRecord.objects.count() == 1


@pytest.mark.django_db
def test_results_grid_saves_nothing_when_a_row_is_wrong(
    client, past_session, make_servant, academy_manager
):
    first = Enrolment.objects.create(
        servant=make_servant(last_name="Аа"),
        session=past_session,
        status="enrolled",
        requested_at=past_session.updated_at,
    )
    second = Enrolment.objects.create(
        servant=make_servant(last_name="Бб"),
        session=past_session,
        status="enrolled",
        requested_at=past_session.updated_at,
    )
    client.force_login(academy_manager)
    url = reverse("enrolments_session_results", args=[past_session.pk])
    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-enrolment": first.pk,
            "form-0-attended_hours": 40,
            "form-0-passed": "on",
            "form-1-enrolment": second.pk,
            "form-1-attended_hours": 400,  # more than the programme has
            "form-1-passed": "on",
        },
    )
    assert response.status_code == 200
    assert "between 0 and 40" in response.content.decode()
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
    assert not QualificationRecord.objects.exists()


@pytest.mark.django_db
def test_hr_officers_cannot_open_the_results_grid(client, past_session, hr_officer_a):
    client.force_login(hr_officer_a)
    url = reverse("enrolments_session_results", args=[past_session.pk])
    assert client.get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_cancel_screen_cancels_with_a_reason(client, open_session, make_servant, academy_manager):
    request(make_servant(), open_session)
    client.force_login(academy_manager)
    url = reverse("enrolments_session_cancel", args=[open_session.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Зал на ремонте"})
    assert response.status_code == 302
    assert Enrolment.objects.get().status == "cancelled"


@pytest.mark.django_db
def test_raising_capacity_in_the_session_form_fills_seats_from_the_queue(
    client, open_session, make_servant, academy_manager
):
    enrolments = [request(make_servant(), open_session) for _ in range(3)]
    assert enrolments[2].status == "waitlisted"
    client.force_login(academy_manager)
    url = reverse("wagtailsnippets_courses_session:edit", args=[open_session.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        programme=open_session.programme_id,
        starts_on=open_session.starts_on.isoformat(),
        ends_on=open_session.ends_on.isoformat(),
        capacity=3,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    enrolments[2].refresh_from_db()
    assert enrolments[2].status == "enrolled"
    data["capacity"] = 1
    response = client.post(url, data)
    assert response.status_code == 200
    assert "seats are already taken" in response.content.decode()


@pytest.mark.django_db
def test_enrolment_list_is_scoped_and_read_only(
    client, open_session, make_servant, servant_of_b, hr_officer_a
):
    mine = request(make_servant(), open_session)
    servant_of_b.user = UserFactory(username="b2", role=CIVIL_SERVANTS)
    servant_of_b.save()
    theirs = request(servant_of_b, open_session)
    client.force_login(hr_officer_a)
    assert client.get(reverse("enrolments:index")).status_code == 200
    assert client.get(reverse("enrolments:inspect", args=[mine.pk])).status_code == 200
    assert client.get(reverse("enrolments:inspect", args=[theirs.pk])).status_code == 404
    assert client.get(f"/admin/enrolments/edit/{mine.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_refused_capacity_saves_nothing_of_the_session_form(
    client, open_session, make_servant, academy_manager
):
    for _ in range(2):
        request(make_servant(), open_session)
    before = (open_session.capacity, open_session.starts_on, open_session.location_ru)
    client.force_login(academy_manager)
    url = reverse("wagtailsnippets_courses_session:edit", args=[open_session.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        programme=open_session.programme_id,
        starts_on=(open_session.starts_on + datetime.timedelta(days=7)).isoformat(),
        ends_on=(open_session.ends_on + datetime.timedelta(days=7)).isoformat(),
        location_ru="Другой зал",
        capacity=1,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2 seats are already taken; the capacity cannot be lower." in (response.content.decode())
    open_session.refresh_from_db()
    assert (open_session.capacity, open_session.starts_on, open_session.location_ru) == before
    assert not ModelLogEntry.objects.filter(action="wagtail.edit").exists()


@pytest.mark.django_db
def test_a_session_created_in_the_admin_is_saved_and_logged(client, academy_manager):
    programme = ProgrammeFactory()
    client.force_login(academy_manager)
    url = reverse("wagtailsnippets_courses_session:add")
    starts = timezone.localdate() + datetime.timedelta(days=30)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update(
        programme=programme.pk,
        starts_on=starts.isoformat(),
        ends_on=(starts + datetime.timedelta(days=4)).isoformat(),
        language="ru",
        capacity=12,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(programme=programme)
    assert session.capacity == 12
    entry = ModelLogEntry.objects.get(action="wagtail.create")
    assert entry.object_id == str(session.pk) and entry.user == academy_manager


@pytest.mark.django_db
def test_the_results_service_returns_what_it_recorded_and_refuses_foreign_rows(
    past_session, make_servant, academy_manager
):
    from enrolments.results import ResultRow, ResultsRefused, session_results_record

    mine = Enrolment.objects.create(
        servant=make_servant(), session=past_session, status="enrolled", requested_at=timezone.now()
    )
    other_session = SessionFactory(
        programme=past_session.programme,
        starts_on=past_session.starts_on,
        ends_on=past_session.ends_on,
    )
    foreign = Enrolment.objects.create(
        servant=make_servant(),
        session=other_session,
        status="enrolled",
        requested_at=timezone.now(),
    )
    with pytest.raises(ResultsRefused) as refused:
        session_results_record(
            session=past_session,
            results=[ResultRow(mine, 40, True), ResultRow(foreign, 40, True)],
            actor=academy_manager,
        )
    assert list(refused.value.row_errors) == [1]
    assert not QualificationRecord.objects.exists()
    recorded = session_results_record(
        session=past_session, results=[ResultRow(mine, 40, True)], actor=academy_manager
    )
    assert [(e.pk, e.status) for e in recorded] == [(mine.pk, "completed")]
