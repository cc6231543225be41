"""Serial numbers issued concurrently on PostgreSQL: never duplicated, never skipped."""

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.services import certificate_issue
from enrolments.models import QualificationRecord
from tests.enrolments.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test runs it)"
    ),
]


def issue(record_id):
    return certificate_issue(record=QualificationRecord(pk=record_id), actor=None).number


@pytest.mark.django_db(transaction=True)
def test_twenty_issuers_at_once_take_numbers_one_to_twenty(completed_record):
    records = [completed_record] + [
        QualificationRecord.objects.create(
            servant=completed_record.servant,
            title=f"Курс {i}",
            kind="upgrade",
            provider="Academy",
            hours=8,
            completed_on=completed_record.completed_on,
            valid_until=completed_record.valid_until,
            source="manual",
        )
        for i in range(19)
    ]
    numbers, errors = run_at_once(issue, [r.pk for r in records])
    assert errors == []
    assert sorted(numbers) == list(range(1, 21))
    assert Certificate.objects.values("serial").distinct().count() == 20


@pytest.mark.django_db(transaction=True)
def test_the_same_record_issued_five_times_at_once_gets_one_certificate(completed_record):
    numbers, errors = run_at_once(issue, [completed_record.pk] * 5)
    assert errors == [] and numbers == [1] * 5
    assert Certificate.objects.count() == 1
