import datetime

import pytest
from django.core.exceptions import ValidationError

from courses.models import ProgrammeKind
from tests.factories import ProgrammeFactory, SessionFactory

# What the Draftail editor posts for an empty rich-text field.
EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'


@pytest.mark.django_db
def test_retraining_needs_at_least_120_hours():
    programme = ProgrammeFactory.build(kind=ProgrammeKind.RETRAINING, academic_hours=80)
    with pytest.raises(ValidationError) as err:
        programme.full_clean()
    assert "academic_hours" in err.value.message_dict


@pytest.mark.django_db
def test_the_enrolment_window_defaults_to_30_and_5_days_before_the_start():
    session = SessionFactory(starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 5))
    assert session.opens_on == datetime.date(2027, 1, 30)
    assert session.closes_on == datetime.date(2027, 2, 24)
    assert session.window_is_open(datetime.date(2027, 2, 1))
    assert not session.window_is_open(datetime.date(2027, 1, 29))
    assert not session.window_is_open(datetime.date(2027, 2, 25))


@pytest.mark.django_db
def test_a_session_cannot_end_before_it_starts():
    session = SessionFactory.build(
        starts_on=datetime.date(2027, 3, 5), ends_on=datetime.date(2027, 3, 1)
    )
    session.programme.save()
    session.programme_id = session.programme.pk
    with pytest.raises(ValidationError) as err:
        session.full_clean()
    assert "ends_on" in err.value.message_dict


@pytest.mark.django_db
def test_draft_changes_stay_out_of_the_catalog_until_published(client):
    programme = ProgrammeFactory(code="DRAFTY", title_ru="Старое название")
    programme.save_revision().publish()
    programme.title_ru = "Новое название"
    programme.save_revision()  # a draft, not published
    body = client.get("/ru/programmes/DRAFTY/").content.decode()
    assert "Старое название" in body and "Новое название" not in body
    programme.refresh_from_db()
    programme.latest_revision.publish()
    assert "Новое название" in client.get("/ru/programmes/DRAFTY/").content.decode()


@pytest.mark.django_db
def test_academy_manager_creates_and_previews_a_programme_in_the_admin(client, academy_manager):
    from django.urls import reverse

    client.force_login(academy_manager)
    data = {
        "code": "NEW-1",
        "kind": "upgrade",
        "format": "online",
        "academic_hours": 24,
        "validity_years": 3,
        "required_attendance_percent": 80,
        "audience": "C-O-*",
        "title_kk": "Жаңа бағдарлама",
        "title_ru": "Новая программа",
        "title_en": "New programme",
        "summary_kk": "",
        "summary_ru": "",
        "summary_en": "",
        "description_kk": EMPTY_RICH_TEXT,
        "description_ru": EMPTY_RICH_TEXT,
        "description_en": EMPTY_RICH_TEXT,
        "action-publish": "publish",
    }
    response = client.post(reverse("wagtailsnippets_courses_programme:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Новая программа" in client.get("/ru/programmes/NEW-1/").content.decode()
