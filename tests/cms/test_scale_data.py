"""`manage.py generate_scale_data`: the national-scale data set the benchmarks use."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from certificates.models import Certificate
from core.validators import is_valid_12_digit_number
from courses.models import Programme, Session
from enrolments.models import ACTIVE, Enrolment, EnrolmentStatus, QualificationRecord
from people.models import Agency, CivilServant, PerformanceRating
from promotions.models import Competition

N = 250


def generate(seed: int) -> dict:
    """Run the command in a savepoint, note what it made, and roll it back."""
    out = io.StringIO()
    made = {}
    try:
        with transaction.atomic():
            made = _generate(seed, out)
            raise _RolledBack
    except _RolledBack:
        pass
    return made


class _RolledBack(Exception):
    pass


def _generate(seed: int, out: io.StringIO) -> dict:
    call_command("generate_scale_data", servants=N, seed=seed, as_of="2026-12-01", stdout=out)
    made = {
        "output": out.getvalue(),
        "iins": list(CivilServant.objects.order_by("pk").values_list("iin", flat=True)),
        "bins": list(Agency.objects.order_by("pk").values_list("bin", flat=True)),
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Agency,
                CivilServant,
                PerformanceRating,
                Programme,
                Session,
                Enrolment,
                QualificationRecord,
                Certificate,
                Competition,
            )
        },  # fmt: skip
        "statuses": Counter(Enrolment.objects.values_list("status", flat=True)),
        "serials": list(Certificate.objects.order_by("pk").values_list("serial", flat=True)),
        "completed_without_record": Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, qualification_records__isnull=True
        ).count(),
        "certificate_mismatch": Certificate.objects.exclude(
            servant_id=F("record__servant_id")
        ).count(),
        "servant_login": CivilServant.objects.filter(user__username="scale.servant").first(),
    }
    return made


@pytest.mark.django_db
def test_scale_data_keeps_the_ratios_and_is_valid():
    made = generate(seed=11)
    counts = made["counts"]
    assert counts["CivilServant"] == N
    # Ratios of the national data set: 500 servants an agency, 50 a programme, 10 sessions a
    # programme, ~10 enrolments and 8 quarterly ratings a servant.
    assert counts["Agency"] == 2  # at least 2; 200 for 100,000
    assert counts["Programme"] == 5
    assert counts["Session"] == 10 * counts["Programme"]
    assert counts["PerformanceRating"] == 8 * N
    assert 8 * N <= counts["Enrolment"] <= 12 * N
    assert counts["QualificationRecord"] > counts["Certificate"] > 0
    assert counts["Competition"] == 2
    # Mostly completed in the past; some upcoming; some withdrawn, cancelled, rejected.
    statuses = made["statuses"]
    assert statuses[EnrolmentStatus.COMPLETED] > 0.5 * counts["Enrolment"]
    for status in (
        EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.PENDING_APPROVAL,
        EnrolmentStatus.WITHDRAWN, EnrolmentStatus.CANCELLED, EnrolmentStatus.REJECTED,
    ):  # fmt: skip
        assert statuses[status] > 0, status
    assert made["completed_without_record"] == 0
    assert made["certificate_mismatch"] == 0
    # Valid, unique identifiers.
    assert all(is_valid_12_digit_number(iin) for iin in made["iins"])
    assert len(set(made["iins"])) == N
    assert all(is_valid_12_digit_number(bin_) for bin_ in made["bins"])
    assert len(set(made["serials"])) == len(made["serials"])
    assert all(s.startswith("ZKO-") for s in made["serials"])
    # The benchmarks' logins exist; the servant one is someone with enrolments.
    assert made["servant_login"] is not None
    assert "scale.hr" in made["output"] and "scale.manager" in made["output"]


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    first, again, other = generate(seed=5), generate(seed=5), generate(seed=6)
    assert first["iins"] == again["iins"]
    assert first["counts"] == again["counts"]
    assert first["serials"] == again["serials"]
    assert first["statuses"] == again["statuses"]
    assert first["iins"] != other["iins"]


@pytest.mark.django_db
def test_refuses_a_database_that_has_civil_servants(servant_of_a):
    with pytest.raises(CommandError, match="already has civil servants"):
        call_command("generate_scale_data", servants=N, stdout=io.StringIO())
    assert not Enrolment.objects.filter(status__in=ACTIVE).exists()
    call_command("generate_scale_data", servants=N, force=True, stdout=io.StringIO())
    assert CivilServant.objects.count() == N + 1
