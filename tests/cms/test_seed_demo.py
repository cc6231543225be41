import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from core import authorization as roles
from core.validators import is_valid_12_digit_number
from courses.models import Programme, Session
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from people.models import Agency, CivilServant, PerformanceRating
from plans.models import PlanLine, PlanStatus, TrainingPlan


def counts():
    return (
        Agency.objects.count(),
        CivilServant.objects.count(),
        PerformanceRating.objects.count(),
        Programme.objects.count(),
        Session.objects.count(),
        get_user_model().objects.count(),
        Enrolment.objects.count(),
        QualificationRecord.objects.count(),
        TrainingPlan.objects.count(),
        PlanLine.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_builds_the_region_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    agencies, servants, ratings, programmes, sessions, users, *_ = first
    assert agencies >= 8 and servants >= 200 and programmes >= 40
    assert ratings == servants * 8  # eight quarters each
    assert all(
        is_valid_12_digit_number(iin) for iin in CivilServant.objects.values_list("iin", flat=True)
    )
    assert all(is_valid_12_digit_number(b) for b in Agency.objects.values_list("bin", flat=True))
    assert (
        Programme.objects.filter(live=True)
        .exclude(title_kk="")
        .exclude(title_ru="")
        .exclude(title_en="")
        .count()
        == programmes
    )
    # A programme's page says more than its catalog line, in every language.
    for programme in Programme.objects.all():
        for lang in ("kk", "ru", "en"):
            summary = getattr(programme, f"summary_{lang}")
            description = getattr(programme, f"description_{lang}")
            assert summary and description, (programme.code, lang)
            assert summary not in description and len(description) > 2 * len(summary)
    text = out.getvalue()
    for username in ("admin", "manager", "hr.akimat", "auditor", "servant"):
        assert username in text
    # Enrolments in every status, and the records that completions made.
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert statuses == set(EnrolmentStatus.values)
    assert QualificationRecord.objects.filter(source="enrolment").count() == (
        Enrolment.objects.filter(status="completed").count()
    )
    # The demo register reproduces the region's published meritocracy figures.
    import datetime

    from promotions.selectors import meritocracy_level

    level = meritocracy_level(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 9, 30))
    assert (level.promoted, level.held, level.percent) == (62, 84, 73.8)
    # A plan per state body for next year, most of them submitted (the demand has figures).
    assert TrainingPlan.objects.filter(status=PlanStatus.SUBMITTED).count() > agencies
    assert PlanLine.objects.filter(plan__year__year__gt=timezone.localdate().year).count() >= (
        3 * agencies
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


@pytest.mark.django_db
def test_each_demo_login_has_its_role():
    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    assert User.objects.get(username="manager").groups.filter(name=roles.ACADEMY_MANAGERS).exists()
    assert User.objects.get(username="hr.akimat").hr_officer.agencies.count() == 1
    assert User.objects.get(username="auditor").groups.filter(name=roles.AUDITORS).exists()
    servant = User.objects.get(username="servant").civil_servant
    # The demo civil servant sees a cancelled enrolment (and its reason) in My learning.
    cancelled = Enrolment.objects.get(servant=servant, status=EnrolmentStatus.CANCELLED)
    assert cancelled.session.cancel_reason
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_each_demo_hr_officer_finds_requests_to_approve(client):
    from django.urls import reverse

    from enrolments.admin_views import pending_for

    call_command("seed_demo", stdout=io.StringIO())
    for username in ("hr.akimat", "hr.oral"):
        user = get_user_model().objects.get(username=username)
        assert pending_for(user).count() >= 3, username
        client.force_login(user)
        body = client.get(reverse("enrolments_approvals")).content.decode()
        assert body.count('name="enrolments"') >= 3
