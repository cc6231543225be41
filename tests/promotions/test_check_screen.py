"""The eligibility check screen as HR uses it (issue 15): a date the browser can read in every
language, the person picked through a searching chooser limited to the officer's people, a
promotion one category up by default, and deadlines worded against the day."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from people.categories import category_above
from promotions.admin_views import CheckForm
from promotions.explanations import explain
from promotions.models import EligibilityCheck, RuleSet
from tests.factories import AgencyFactory, PositionFactory, ServantFactory


def admin_in(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def rules(db):
    return RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.django_db
def test_the_as_of_date_is_iso_in_every_language_and_the_form_takes_it(
    client, rules, hr_officer_a, agency_a, language
):
    admin_in(hr_officer_a, language)
    client.force_login(hr_officer_a)
    page = client.get(reverse("promotions_check")).content.decode()
    field = re.search(r'<input type="date" name="as_of" value="([^"]*)"', page)
    assert field, "the as-of field is a date picker"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", field.group(1)), field.group(1)

    servant = ServantFactory(agency=agency_a)
    with translation.override(language):
        form = CheckForm(
            {"servant": servant.pk, "as_of": field.group(1), "target_category": ""},
            user=hr_officer_a,
        )
        assert form.is_valid(), form.errors
        bound = str(form["as_of"])
    assert f'value="{field.group(1)}"' in bound


@pytest.mark.django_db
def test_every_date_picker_of_our_forms_is_iso():
    """Each `type=date` input a form of ours draws, in Russian (dd.mm.yyyy by default)."""
    from cms.admin_records import ExportForm
    from core.form_widgets import DateInput
    from promotions.admin_views import AppointmentForm

    day = datetime.date(2026, 12, 2)
    with translation.override("ru"):
        for form, name in [
            (CheckForm(initial={"as_of": day}, user=None), "as_of"),
            (AppointmentForm(initial={"appointed_on": day}), "appointed_on"),
            (ExportForm(initial={"since": day}, user=None), "since"),
        ]:
            assert isinstance(form.fields[name].widget, DateInput)
            assert 'value="2026-12-02"' in str(form[name]), name


def _choose(client, **params):
    response = client.get(reverse("servant_chooser:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_chooser_finds_people_by_name_iin_or_state_body_within_the_officers_scope(
    client, hr_officer_a, agency_a, agency_b
):
    akimat = AgencyFactory(name_ru="Акимат Бурлинского района", name_kk="Бөрлі ауданының әкімдігі")
    from people.models import HROfficer

    HROfficer.objects.get(user=hr_officer_a).agencies.add(akimat)
    mine = ServantFactory(agency=agency_a, last_name="Құрманғазиева", first_name="Әлия")
    other = ServantFactory(agency=akimat, last_name="Иванов", first_name="Пётр")
    outsider = ServantFactory(agency=agency_b, last_name="Құрманғазиев", first_name="Нұрлан")
    client.force_login(hr_officer_a)

    # A surname typed in lower case, Kazakh letters included; a name and surname together.
    found = _choose(client, q="құрманғази")
    assert mine.full_name in found and outsider.full_name not in found
    assert other.full_name in _choose(client, q="иванов пётр")
    # The IIN, whole or its first digits; the state body's name in either language.
    assert mine.full_name in _choose(client, q=mine.iin)
    assert mine.full_name in _choose(client, q=mine.iin[:6])
    assert outsider.full_name not in _choose(client, q=outsider.iin)
    by_body = _choose(client, q="бурлинского")
    assert other.full_name in by_body and mine.full_name not in by_body
    assert other.full_name in _choose(client, q="Бөрлі")
    # Outside the officer's scope: not listed, not found by id.
    assert outsider.full_name not in _choose(client)
    url = reverse("servant_chooser:chosen", args=[outsider.pk])
    assert client.get(url).status_code == 404
    chosen = json.loads(client.get(reverse("servant_chooser:chosen", args=[mine.pk])).content)
    assert chosen["result"]["id"] == str(mine.pk)
    assert mine.full_name in chosen["result"]["title"]


@pytest.mark.django_db
def test_the_chooser_is_the_check_forms_and_the_ratings_person_picker(
    client, hr_officer_a, agency_a, servant_of_b
):
    client.force_login(hr_officer_a)
    page = client.get(reverse("promotions_check")).content.decode()
    assert reverse("servant_chooser:choose") in page and '<select name="servant"' not in page
    ratings = client.get(reverse("ratings:add")).content.decode()
    assert reverse("servant_chooser:choose") in ratings
    assert servant_of_b.last_name not in ratings


def test_the_next_category_up():
    assert category_above("C-O-4") == "C-O-3"
    assert category_above("D-2") == "D-1"
    assert category_above("C-O-1") is None
    assert category_above("") is None and category_above("X-9") is None


@pytest.mark.django_db
def test_a_check_without_a_target_is_for_the_next_category_up_and_says_so(
    client, rules, hr_officer_a, agency_a
):
    admin_in(hr_officer_a, "en")
    servant = ServantFactory(
        agency=agency_a, position=PositionFactory(agency=agency_a, category="C-O-4")
    )
    top = ServantFactory(agency=agency_a, position=PositionFactory(agency=agency_a, category="D-1"))
    client.force_login(hr_officer_a)
    body = client.post(
        reverse("promotions_check"),
        {"servant": servant.pk, "target_category": "", "as_of": "2026-11-27"},
    ).content.decode()
    assert EligibilityCheck.objects.get().target_category == "C-O-3"
    assert "→ C-O-3 (the next category up from C-O-4)" in body
    body = client.post(
        reverse("promotions_check"),
        {"servant": top.pk, "target_category": "", "as_of": "2026-11-27"},
    ).content.decode()
    assert "D-1 is the highest category of its group" in body


def test_hours_with_nothing_counted_have_no_deadline():
    with translation.override("en"):
        assert explain({"code": "hours_missing", "missing": 40}) == (
            "Complete 40 more academic hours of qualification upgrade."
        )
    for language in ("ru", "kk"):
        with translation.override(language):
            text = explain({"code": "hours_missing", "missing": 40})
            assert "40" in text and "Complete" not in text


def test_a_deadline_that_has_come_is_worded_as_passed(today):
    def missing(day):
        return explain({"code": "hours_missing", "missing": 24, "date": day.isoformat()})

    with translation.override("en"):
        soon = today + datetime.timedelta(days=30)
        assert missing(soon).endswith(f"before {soon:%d.%m.%Y}.")
        for day in (today, today - datetime.timedelta(days=3)):
            assert "that day has passed" in missing(day), day
    for language in ("ru", "kk"):
        with translation.override(language):
            assert "that day" not in missing(today) and "24" in missing(today)


def test_retraining_due_today_says_today(today):
    with translation.override("en"):
        text = explain({"code": "retraining_due_by", "due": today.isoformat()})
    assert text.startswith("Retraining is due today")


@pytest.mark.django_db
def test_the_engine_gives_no_deadline_when_no_training_counts(rules, agency_a, today):
    """Before: "40 more hours … before <the day of the check>"."""
    from promotions.services import eligibility_evaluate

    servant = ServantFactory(agency=agency_a)
    result = eligibility_evaluate(servant=servant, as_of=today)
    hours = next(c for c in result.criteria if c.code == "training_hours")
    assert not hours.met and "date" not in hours.gap_basis
    with translation.override("en"):
        assert hours.gap.startswith("Complete ")


@pytest.mark.django_db
def test_the_dashboard_opens_on_the_latest_year_with_competitions(client, auditor, agency_a):
    """The register ends in 2023 and the only rule set starts in 2024: the dashboard opens
    on 2023 with its figures (coverage without a rule set in force reads "—")."""
    from promotions.models import Competition
    from tests.conftest import admin_in_english

    admin_in_english(auditor)
    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    for index, outcome in enumerate(["promoted", "promoted", "appointed", "failed"]):
        Competition.objects.create(
            agency=agency_a,
            position_title=f"P{index}",
            category="C-O-4",
            held_on=datetime.date(2023, 4, 1 + index),
            kind="general",
            outcome=outcome,
        )
    client.force_login(auditor)
    response = client.get(reverse("promotions_dashboard"))
    assert response.status_code == 200
    assert response.context["start"] == datetime.date(2023, 1, 1)
    assert response.context["end"] == datetime.date(2023, 12, 31)
    body = response.content.decode()
    assert "the latest year with competitions in the register" in body
    assert "2 of 3 competitions" in body and "meritocracy-empty" not in body
    period = {"start": "2025-01-01", "end": "2025-06-30"}
    empty = client.get(reverse("promotions_dashboard"), period)
    assert "No competitions held between 01.01.2025 and 30.06.2025" in empty.content.decode()
