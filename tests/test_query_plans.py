"""The heaviest queries of the busiest pages and jobs use indexes, not sequential scans of
the big tables, on a generated data set large enough for PostgreSQL's planner to prefer an
index where one serves (3,000 servants, ~30,000 enrolments and records; ANALYZEd).

The SQL is captured from the real pages and jobs (CaptureQueriesContext), then EXPLAINed.
Queries that by nature read a whole table are not judged: the paginator's COUNT(*) of an
unscoped admin list and the region-wide eligibility batch and export."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate, SerialCounter
from cms.records import export_spec
from core import authorization as roles
from core.exporting import csv_chunks
from courses.models import Programme, Session
from enrolments.models import Enrolment, QualificationRecord
from people.models import Agency, CivilServant, HROfficer, PerformanceRating, Position
from promotions.models import Competition, QualificationRequirement, RuleSet
from promotions.services import eligibility_for_agency

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]

BIG_TABLES = {
    model._meta.db_table
    for model in (CivilServant, Enrolment, QualificationRecord, Certificate, PerformanceRating)
}
AS_OF = datetime.date(2026, 12, 1)
GENERATED = (
    Certificate, SerialCounter, QualificationRecord, Enrolment, Session, Programme,
    PerformanceRating, Competition, QualificationRequirement, RuleSet, HROfficer, CivilServant,
    Position, Agency,
)  # fmt: skip
LOGINS = ("scale.servant", "scale.hr", "scale.manager", "plans.hr")
ADMIN_LISTS = ("/admin/servants/", "/admin/enrolments/", "/admin/records/", "/admin/certificates/")


def seq_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found.extend(seq_scans(child))
    return found


def selects(queries) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"].strip()
        if sql[:7].upper() == "DECLARE":
            sql = sql.split(" FOR ", 1)[1]
        elif not sql.upper().startswith(("SELECT", "WITH")):
            continue
        found.append(sql)
    return found


def bad_plans(sql_list: list[str], *, skip=lambda sql: False) -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        for sql in sql_list:
            if skip(sql):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0]["Plan"] if isinstance(plan, list) else plan
            scans = seq_scans(plan)
            if scans:
                tail = sql[sql.find(" FROM ") :]
                problems.append(f"Seq Scan on {', '.join(scans)}: SELECT …{tail[:600]}")
    return problems


def captured(action) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        action()
    return selects(list(context.captured_queries))


def is_unscoped_count(sql: str) -> bool:
    return sql.upper().startswith("SELECT COUNT(*)") and " WHERE " not in sql.upper()


@pytest.fixture(scope="module")
def scale_data(django_db_setup, django_db_blocker):
    """Generated once for the module and removed at its end."""
    with django_db_blocker.unblock():
        call_command(
            "generate_scale_data", servants=3000, seed=3, as_of="2026-12-01", stdout=io.StringIO()
        )
        # A small body (~0.6 % of the servants; at national scale most hold 0.5 %): the
        # HR officer's lists and the agency's batch jobs must then use indexes.
        largest = max(Agency.objects.all(), key=lambda a: a.servants.count())
        smallest = Agency.objects.create(
            bin="940140000385", code="plans-small", name_kk="Шағын орган", name_ru="Малый орган"
        )
        CivilServant.objects.alias(n=F("pk") % 50).filter(agency=largest, n=0).update(
            agency=smallest
        )
        user = get_user_model().objects.create_user("plans.hr", password="x")  # noqa: S106
        user.groups.add(Group.objects.get(name=roles.HR_OFFICERS))
        HROfficer.objects.create(user=user).agencies.add(smallest)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield smallest
        # Remove what was generated (committed, outside the tests' transactions).
        tables = [model._meta.db_table for model in GENERATED]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        get_user_model().objects.filter(username__in=LOGINS).delete()


@pytest.fixture
def client_as(client, scale_data):
    def login(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


def get_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


@pytest.mark.django_db
def test_public_pages_use_indexes(client_as, client):
    sql = captured(lambda: get_ok(client, "/kk/programmes/"))
    servant = client_as("scale.servant")
    sql += captured(lambda: get_ok(servant, "/kk/my/"))
    problems = bad_plans(sql)
    assert not problems, "\n\n".join(problems)


def admin_lists_sql(client) -> list[str]:
    sql = []
    for path in ADMIN_LISTS:
        sql += captured(lambda path=path: get_ok(client, path))
    return sql


@pytest.mark.django_db
def test_hr_officer_admin_lists_use_indexes(client_as):
    problems = bad_plans(admin_lists_sql(client_as("plans.hr")))
    assert not problems, "\n\n".join(problems)


@pytest.mark.django_db
def test_manager_admin_list_pages_use_indexes(client_as):
    """A manager sees everyone: the COUNT(*) reads everything, the page itself must not."""
    problems = bad_plans(admin_lists_sql(client_as("scale.manager")), skip=is_unscoped_count)
    assert not problems, "\n\n".join(problems)


@pytest.mark.django_db
def test_agency_eligibility_and_export_use_indexes(scale_data):
    agency = scale_data
    sql = captured(lambda: eligibility_for_agency(agency=agency, as_of=AS_OF))
    queryset, columns = export_spec("records", agency=agency)
    sql += captured(lambda: list(csv_chunks(queryset, columns)))
    assert len(sql) >= 4
    problems = bad_plans(sql)
    assert not problems, "\n\n".join(problems)
