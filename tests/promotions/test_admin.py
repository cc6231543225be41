import datetime

import pytest
from django.urls import reverse

from promotions.models import Competition, EligibilityCheck, RuleSet
from tests.factories import ServantFactory

from .test_eligibility import LAST_FOUR, rate, train


@pytest.fixture
def rules(db):
    return RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))


@pytest.mark.django_db
def test_hr_runs_a_check_and_it_is_stored(client, rules, hr_officer_a, agency_a):
    from tests.conftest import admin_in_english

    admin_in_english(hr_officer_a)
    servant = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2012, 1, 1))
    rate(servant, LAST_FOUR)
    train(servant, 40, datetime.date(2025, 3, 1))
    client.force_login(hr_officer_a)
    response = client.post(
        reverse("promotions_check"),
        {"servant": servant.pk, "target_category": "C-O-3", "as_of": "2026-11-27"},
    )
    assert "Eligible for promotion without competition" in response.content.decode()
    check = EligibilityCheck.objects.get()
    assert check.eligible and check.rule_set == rules and check.created_by == hr_officer_a
    assert check.result["criteria"][0]["code"] == "ratings"


@pytest.mark.django_db
def test_hr_cannot_check_another_agencys_person(client, rules, hr_officer_a, servant_of_b):
    client.force_login(hr_officer_a)
    response = client.post(
        reverse("promotions_check"), {"servant": servant_of_b.pk, "as_of": "2026-11-27"}
    )
    assert response.status_code == 200 and not EligibilityCheck.objects.exists()


@pytest.mark.django_db
def test_dashboard_shows_the_regions_level_and_a_chart(client, auditor, agency_a):
    from tests.conftest import admin_in_english

    admin_in_english(auditor)
    for index in range(10):
        Competition.objects.create(
            agency=agency_a,
            position_title=f"П{index}",
            category="C-O-4",
            held_on=datetime.date(2024, 3, 1 + index),
            kind="general",
            outcome="promoted" if index < 7 else "appointed",
            violations=1 if index == 0 else 0,
        )
    client.force_login(auditor)
    body = client.get(
        reverse("promotions_dashboard"), {"start": "2024-01-01", "end": "2024-09-30"}
    ).content.decode()
    assert "70%" in body and "7 of 10 competitions" in body
    assert "meritocracy-bars" in body and "1 procedure violations" in body


@pytest.mark.django_db
def test_dry_run_lists_who_would_change(client, superuser, agency_a, rules):
    servant = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2012, 1, 1))
    rate(servant, [*LAST_FOUR, (2026, 4)])  # the quarters before 2027-01-01
    train(servant, 40, datetime.date(2025, 3, 1))
    stricter = RuleSet.objects.create(
        version="2027-1", effective_from=datetime.date(2027, 1, 1), consecutive_effective_quarters=6
    )
    client.force_login(superuser)
    from tests.conftest import admin_in_english

    admin_in_english(superuser)
    response = client.get(reverse("promotions_dry_run", args=[stricter.pk]))
    assert "1 of 1 people would change status" in response.content.decode()
    changes = response.context["changes"]
    assert [s.pk for s, _change in changes] == [servant.pk]
    assert changes[0][1].before is True and changes[0][1].after is False
