"""Reports and exports read the replica; everything else, and every write, uses the primary.

The test settings add a stand-in replica: a separate database that nothing replicates into.
Rows are copied into it (or put only there) so each test can tell which database was read.
"""

import datetime
import io
import runpy

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.routers import REPLICA, reporting_db
from people.models import Agency, CivilServant, PerformanceRating, Position
from promotions.models import Competition, EligibilityCheck, RuleSet
from tests.conftest import admin_in_english
from tests.factories import AgencyFactory, PositionFactory, ServantFactory

from .promotions.test_eligibility import LAST_FOUR, rate, train

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])

AS_OF = datetime.date(2026, 11, 27)


@pytest.fixture
def replica_reports(settings):
    """A deployment with DATABASE_REPLICA_URL set."""
    settings.REPORTS_DATABASE = REPLICA


def replicate(*models):
    """Copy every row of `models` (referenced tables first) from the primary to the replica,
    as streaming replication would have done a moment ago."""
    for model in models:
        rows = list(model._base_manager.using("default").order_by("pk"))
        model._base_manager.using(REPLICA).bulk_create(rows)


def export_servants(*options) -> str:
    out = io.StringIO()
    call_command("export_records", "servants", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def replicated_and_not(agency_a):
    """A servant whose replicated row says "Replicated" (the primary's says "Primary"), and
    one created on the primary after the replica's copy."""
    servant = ServantFactory(agency=agency_a, last_name="Primary")
    replicate(Agency, Position, CivilServant)
    CivilServant.objects.using(REPLICA).filter(pk=servant.pk).update(last_name="Replicated")
    ServantFactory(agency=agency_a, last_name="NotYetReplicated")


def test_the_export_command_reads_the_replica(replica_reports, replicated_and_not):
    text = export_servants()
    assert "Replicated" in text
    assert "Primary" not in text and "NotYetReplicated" not in text


def test_the_admin_export_reads_the_replica(replica_reports, replicated_and_not, client, superuser):
    client.force_login(superuser)
    for fmt in ("csv", "json"):
        response = client.get(reverse("cms_export"), {"kind": "servants", "format": fmt})
        text = b"".join(response.streaming_content).decode()
        assert "Replicated" in text and "NotYetReplicated" not in text, fmt


def test_without_a_replica_exports_read_the_primary(replicated_and_not):
    text = export_servants()
    assert "Primary" in text and "NotYetReplicated" in text
    assert "Replicated\n" not in text and ",Replicated," not in text


@pytest.fixture
def rules_and_candidate(agency_a):
    rule = RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    position = PositionFactory(agency=agency_a, category="C-O-4")
    servant = ServantFactory(
        agency=agency_a, position=position, first_appointed_on=datetime.date(2015, 1, 10)
    )
    return rule, servant


def test_the_eligibility_report_reads_the_replica(replica_reports, rules_and_candidate):
    _rule, servant = rules_and_candidate
    replicate(Agency, Position, CivilServant, RuleSet)
    # Ratings and training that only the replica has: there the candidate is eligible.
    for year, quarter in LAST_FOUR:
        PerformanceRating.objects.using(REPLICA).create(
            servant_id=servant.pk, year=year, quarter=quarter, rating="effective"
        )
    from enrolments.models import QualificationRecord

    QualificationRecord.objects.using(REPLICA).create(
        servant_id=servant.pk,
        title="Курс",
        kind="upgrade",
        provider="Академия",
        hours=40,
        completed_on=datetime.date(2025, 3, 1),
        valid_until=datetime.date(2028, 3, 1),
        source="import",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("eligibility_report", "--as-of", AS_OF.isoformat(), stdout=out, stderr=err)
    assert f"{servant.pseudonym},C-O-4,True," in out.getvalue()
    assert "1 of 1 eligible" in err.getvalue()


def test_the_meritocracy_dashboard_reads_the_replica(replica_reports, client, auditor, agency_a):
    admin_in_english(auditor)
    replicate(Agency)
    Competition.objects.using(REPLICA).bulk_create(
        Competition(
            agency_id=agency_a.pk,
            position_title=f"П{index}",
            category="C-O-4",
            held_on=datetime.date(2024, 3, 1 + index),
            kind="general",
            outcome="promoted" if index < 7 else "appointed",
        )
        for index in range(10)
    )
    client.force_login(auditor)
    body = client.get(
        reverse("promotions_dashboard"), {"start": "2024-01-01", "end": "2024-09-30"}
    ).content.decode()
    assert "70%" in body and "7 of 10 competitions" in body
    assert not Competition.objects.using("default").exists()


def test_a_stored_eligibility_check_reads_and_writes_the_primary(
    replica_reports, client, rules_and_candidate, hr_officer_a
):
    """The check kept for audit must rest on the primary's data, never a lagging copy."""
    rule, servant = rules_and_candidate
    rate(servant, LAST_FOUR)
    train(servant, 40, datetime.date(2025, 3, 1))
    admin_in_english(hr_officer_a)
    client.force_login(hr_officer_a)
    with CaptureQueriesContext(connections[REPLICA]) as replica_queries:
        response = client.post(
            reverse("promotions_check"),
            {"servant": servant.pk, "target_category": "C-O-3", "as_of": AS_OF.isoformat()},
        )
    assert "Eligible for promotion without competition" in response.content.decode()
    check = EligibilityCheck.objects.using("default").get()
    assert check.eligible and check.rule_set == rule
    assert not EligibilityCheck.objects.using(REPLICA).exists()
    assert len(replica_queries) == 0


def test_inside_a_report_reads_use_the_replica_and_writes_the_primary(replica_reports):
    with reporting_db():
        created = AgencyFactory(code="written-during-a-report")
        assert not Agency.objects.filter(code="written-during-a-report").exists()
    assert Agency.objects.filter(pk=created.pk).exists()
    assert not Agency.objects.using(REPLICA).filter(pk=created.pk).exists()


def production_settings(monkeypatch, **env) -> dict:
    monkeypatch.setenv("DB_CONN_MAX_AGE", "60")  # the module sets it; undone after the test
    monkeypatch.setenv(
        "SECRET_KEY", "x7Gq2-Lm9vPz4RtY8wBn3KcJ6hFd1SaE5uXo0ViNpQrTgHyWb2ZkMjCl4AeDs9Uf"
    )
    monkeypatch.setenv("ALLOWED_HOSTS", "biliktilik.example.kz")
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://biliktilik.example.kz")
    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.internal:5432/biliktilik")
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("config.settings.production")


@pytest.mark.django_db(databases=[])
def test_production_adds_the_replica_only_when_its_url_is_set(monkeypatch):
    plain = production_settings(monkeypatch)
    assert list(plain["DATABASES"]) == ["default"] and plain["REPORTS_DATABASE"] == "default"
    with_replica = production_settings(
        monkeypatch, DATABASE_REPLICA_URL="postgres://reports@replica.internal:5432/biliktilik"
    )
    assert with_replica["REPORTS_DATABASE"] == "replica"
    assert with_replica["DATABASES"]["replica"]["HOST"] == "replica.internal"
    assert with_replica["DATABASE_ROUTERS"] == ["config.routers.PrimaryReplicaRouter"]
