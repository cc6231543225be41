"""The read-access log (issue 12, finding 5, the read side): every read of a person's data by
someone else is one entry (who, when, what, for whom); a bulk read is one entry for the
request; the person's own reads log nothing; auditors browse and filter the log and nobody
changes it; the person sees in My learning who read their record."""

import datetime
import io
import zipfile

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certificates.services import certificate_issue
from core import authorization as roles
from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from people.access_log import access_record
from people.models import AccessLogAgency, AccessLogEntry, PerformanceRating
from promotions.models import RuleSet
from tests.conftest import admin_in_english
from tests.factories import (
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
    hr_officer_for,
)


def only_entry(after=0, **expected):
    entry = AccessLogEntry.objects.get(pk__gt=after)  # exactly one
    for field, value in expected.items():
        assert getattr(entry, field) == value, (field, getattr(entry, field), value)
    return entry


@pytest.fixture
def certificate(servant_of_a, academy_manager, today):
    session = SessionFactory(
        programme=ProgrammeFactory(code="ANTICOR-C", academic_hours=40),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=6),
    )
    enrolment = Enrolment.objects.create(
        servant=servant_of_a, session=session, status="enrolled", requested_at=timezone.now()
    )
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    return certificate_issue(record=enrolment.qualification_records.get(), actor=academy_manager)


# --- one entry per door -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("/admin/servants/inspect/{pk}/", "servant.view"),
        ("/admin/servants/edit/{pk}/", "servant.edit"),
        ("/admin/servants/{pk}/transcript.pdf", "transcript.pdf"),
        ("/admin/servants/{pk}/transcript.csv", "transcript.csv"),
    ],
)
def test_hr_reading_a_persons_page_or_transcript_is_one_entry(
    client, hr_officer_a, servant_of_a, url, what
):
    client.force_login(hr_officer_a)
    assert client.get(url.format(pk=servant_of_a.pk)).status_code == 200
    entry = only_entry(actor=hr_officer_a, what=what, servant=servant_of_a)
    assert entry.actor_role == "hr_officer" and entry.row_count is None
    assert abs(entry.at - timezone.now()) < datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_refused_reads_log_nothing(client, hr_officer_a, servant_of_b):
    client.force_login(hr_officer_a)
    assert client.get(f"/admin/servants/inspect/{servant_of_b.pk}/").status_code == 404
    assert client.get(f"/admin/servants/{servant_of_b.pk}/transcript.pdf").status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_certificate_pdf_by_staff_is_one_entry_on_both_doors(
    client, certificate, academy_manager, hr_officer_a, servant_of_a
):
    client.force_login(academy_manager)
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).status_code == 200
    first = only_entry(actor=academy_manager, what="certificate.pdf", servant=servant_of_a)
    client.force_login(hr_officer_a)
    url = reverse("certificate_download", args=[certificate.pk])
    assert client.get(url).status_code == 200
    only_entry(first.pk, actor=hr_officer_a, what="certificate.pdf", servant=servant_of_a)


@pytest.mark.django_db
def test_session_zip_is_one_bulk_entry(client, certificate, academy_manager, agency_a):
    client.force_login(academy_manager)
    response = client.get(
        reverse("certificates_session_zip", args=[certificate.record.enrolment.session_id])
    )
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 1
    entry = only_entry(actor=academy_manager, what="session.certificates_zip", servant=None)
    assert entry.row_count == 1 and entry.agency_id_list == [agency_a.pk]
    assert entry.filters == {"session": certificate.record.enrolment.session_id}


@pytest.mark.django_db
def test_an_export_of_many_rows_is_one_entry_with_its_filters_and_count(
    client, hr_officer_a, agency_a, agency_b
):
    for _ in range(30):
        servant = ServantFactory(agency=agency_a)
        PerformanceRating.objects.create(servant=servant, year=2026, quarter=1, rating="proper")
    PerformanceRating.objects.create(
        servant=ServantFactory(agency=agency_b), year=2026, quarter=1, rating="proper"
    )
    client.force_login(hr_officer_a)
    response = client.get(
        reverse("cms_export"), {"kind": "ratings", "format": "csv", "agency": agency_a.pk}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 31  # header + 30 rows
    entry = only_entry(actor=hr_officer_a, what="export.ratings", servant=None)
    assert entry.row_count == 30 and entry.agency_id_list == [agency_a.pk]
    # Indexed by state body for My learning: one row per state body, none per data row.
    assert list(AccessLogAgency.objects.values_list("entry", "agency")) == [(entry.pk, agency_a.pk)]
    assert entry.filters == {"format": "csv", "agency": agency_a.pk, "since": None}


@pytest.mark.django_db
def test_an_export_without_a_state_body_covers_the_users_scope(
    client, academy_manager, agency_a, agency_b
):
    ServantFactory(agency=agency_a)
    client.force_login(academy_manager)
    response = client.get(
        reverse("cms_export"), {"kind": "servants", "format": "xlsx", "since": "2020-01-01"}
    )
    assert response.status_code == 200
    entry = only_entry(actor=academy_manager, what="export.servants", row_count=1)
    assert entry.agency_id_list == sorted([agency_a.pk, agency_b.pk])
    assert entry.filters["since"] == "2020-01-01"


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/api/v1/servants/", "api.servants.list"),
        ("/api/v1/records/", "api.records.list"),
        ("/api/v1/enrolments/", "api.enrolments.list"),
        ("/api/v1/certificates/", "api.certificates.list"),
    ],
)
def test_each_api_page_is_one_bulk_entry(
    certificate, hr_officer_a, agency_a, servant_of_b, path, what
):
    response = api_client(hr_officer_a).get(path, {"page_size": 10})
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    entry = only_entry(actor=hr_officer_a, what=what, servant=None, row_count=1)
    assert entry.agency_id_list == [agency_a.pk]  # the rows', not agency B
    assert entry.filters == {"page_size": "10"}


@pytest.mark.django_db
def test_api_list_pages_are_one_entry_each_not_one_per_row(hr_officer_a, agency_a):
    for _ in range(25):
        ServantFactory(agency=agency_a)
    client = api_client(hr_officer_a)
    page = client.get("/api/v1/servants/", {"page_size": 20}).json()
    client.get(page["next"])
    assert list(AccessLogEntry.objects.order_by("pk").values_list("row_count", flat=True)) == [
        20,
        5,
    ]


@pytest.mark.django_db
def test_an_eligibility_check_and_a_dry_run_are_logged(client, hr_officer_a, superuser, agency_a):
    rules = RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    servant = ServantFactory(agency=agency_a, first_appointed_on=datetime.date(2012, 1, 1))
    client.force_login(hr_officer_a)
    client.post(
        reverse("promotions_check"),
        {"servant": servant.pk, "target_category": "C-O-3", "as_of": "2026-11-27"},
    )
    check = only_entry(actor=hr_officer_a, what="eligibility.check", servant=servant)
    client.force_login(superuser)
    assert client.get(reverse("promotions_dry_run", args=[rules.pk])).status_code == 200
    only_entry(check.pk, actor=superuser, what="eligibility.dry_run", servant=None)


# --- the person's own reads ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_persons_own_reads_log_nothing(client, servant_of_a, certificate):
    client.force_login(servant_of_a.user)
    assert client.get("/en/my/").status_code == 200
    assert client.get("/en/my/transcript.pdf").status_code == 200
    assert client.get("/en/my/transcript.csv").status_code == 200
    assert client.get(reverse("certificate_download", args=[certificate.pk])).status_code == 200
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db
def test_an_hr_officer_reading_their_own_record_through_the_admin_logs_nothing(client, agency_a):
    officer = hr_officer_for(agency_a, username="hr-self")
    mine = ServantFactory(agency=agency_a, user=officer)
    client.force_login(officer)
    assert client.get(f"/admin/servants/inspect/{mine.pk}/").status_code == 200
    assert not AccessLogEntry.objects.exists()


# --- the auditors' viewer -----------------------------------------------------------------


@pytest.fixture
def entries(hr_officer_a, academy_manager, servant_of_a, servant_of_b, agency_a):
    access_record(actor=hr_officer_a, what="servant.view", servant=servant_of_a)
    access_record(actor=academy_manager, what="transcript.pdf", servant=servant_of_b)
    access_record(
        actor=hr_officer_a,
        what="export.ratings",
        filters={"format": "csv"},
        row_count=1600,
        agency_ids=[agency_a.pk],
    )
    return list(AccessLogEntry.objects.order_by("pk"))


def listed(client, **params) -> list[int]:
    response = client.get("/admin/access-log/", params)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["object_list"])


@pytest.mark.django_db
def test_auditors_browse_and_filter_the_log(
    client, auditor, entries, hr_officer_a, servant_of_a, servant_of_b
):
    view, transcript, export = (e.pk for e in entries)
    admin_in_english(auditor)
    client.force_login(auditor)
    assert listed(client) == [view, transcript, export]
    assert listed(client, what="transcript.pdf") == [transcript]
    assert listed(client, actor=hr_officer_a.pk) == [view, export]
    assert listed(client, servant_iin=servant_of_b.iin) == [transcript]
    assert listed(client, q=servant_of_a.last_name) == [view]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert listed(client, at_from=tomorrow) == []
    today = timezone.localdate().isoformat()
    assert listed(client, at_from=today, at_to=today) == [view, transcript, export]
    body = client.get("/admin/access-log/").content.decode()
    assert "Opened the civil servant&#x27;s page" in body or "opened the civil servant" in body
    assert "1600 rows, 1 state bodies" in body
    local = timezone.localtime(entries[0].at).strftime("%d.%m.%Y %H:%M")
    assert local in body  # local time, no microseconds
    assert client.get(f"/admin/access-log/inspect/{view}/").status_code == 200


@pytest.mark.django_db
def test_the_log_is_for_auditors_and_superusers_only(
    client, entries, hr_officer_a, academy_manager, servant_of_a
):
    for user in (hr_officer_a, academy_manager, servant_of_a.user):
        client.force_login(user)
        response = client.get("/admin/access-log/")
        assert response.status_code in (302, 403), user
        assert servant_of_a.last_name not in response.content.decode()
        inspect = client.get(f"/admin/access-log/inspect/{entries[0].pk}/")
        assert inspect.status_code in (302, 403), user


@pytest.mark.django_db
def test_nobody_adds_edits_or_deletes_an_entry_not_even_a_superuser(
    client, superuser, auditor, entries
):
    entry = entries[0]
    for user in (superuser, auditor):
        client.force_login(user)
        assert client.get("/admin/access-log/").status_code == 200
        for url in (
            "/admin/access-log/new/",
            f"/admin/access-log/edit/{entry.pk}/",
            f"/admin/access-log/delete/{entry.pk}/",
        ):
            # Not routed at all (core.backoffice.AppendOnlyViewSet).
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"what": "certificate.pdf"}).status_code == 404, url
    assert AccessLogEntry.objects.count() == 3
    entry.refresh_from_db()
    assert entry.what == "servant.view"
    body = client.get("/admin/access-log/").content.decode()
    assert "/admin/access-log/new/" not in body and "/admin/access-log/edit/" not in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_update_and_delete_even_from_the_application(hr_officer_a, servant_of_a):
    from django.db.utils import DatabaseError

    entry = access_record(actor=hr_officer_a, what="servant.view", servant=servant_of_a)
    bulk = access_record(
        actor=hr_officer_a, what="export.ratings", row_count=1, agency_ids=[servant_of_a.agency_id]
    )
    for statement in (
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).update(what="transcript.pdf"),
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AccessLogAgency.objects.filter(entry=bulk).update(agency_id=0),
        lambda: AccessLogAgency.objects.filter(entry=bulk).delete(),
    ):
        with (
            pytest.raises(DatabaseError, match="Cannot update or delete"),
            transaction.atomic(),
        ):
            statement()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "servant.view"
    assert AccessLogAgency.objects.filter(entry=bulk).count() == 1


# --- My learning: who viewed my record ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "view_label", "transcript_label", "role"),
    [
        (
            "kk",
            "Менің деректерімді кім қарады",
            "Мемлекеттік қызметшінің бетін ашты",
            "Өткен оқу туралы мәліметтерді жүктеп алды (PDF)",
            "персоналды басқару қызметінің қызметкері",
        ),
        (
            "ru",
            "Кто просматривал мои данные",
            "Просмотр страницы государственного служащего",
            "Скачивание сведений о пройденном обучении (PDF)",
            "сотрудник службы управления персоналом",
        ),
    ],
)
def test_my_learning_shows_who_read_my_record(
    client, agency_a, servant_of_a, language, heading, view_label, transcript_label, role
):
    officer = hr_officer_for(agency_a, username="hr-oral")
    officer.first_name, officer.last_name = "Гүлнар", "Сейітова"
    officer.save()
    other = ServantFactory(agency=agency_a, last_name="Басқа")
    client.force_login(officer)
    assert client.get(f"/admin/servants/inspect/{servant_of_a.pk}/").status_code == 200
    assert client.get(f"/admin/servants/{servant_of_a.pk}/transcript.pdf").status_code == 200
    assert client.get(f"/admin/servants/inspect/{other.pk}/").status_code == 200
    assert AccessLogEntry.objects.count() == 3

    client.force_login(servant_of_a.user)
    response = client.get(f"/{language}/my/")
    body = response.content.decode()
    assert heading in body
    listed_what = [e.what for e in response.context["access_entries"]]
    assert listed_what == ["transcript.pdf", "servant.view"]  # newest first; not the other's
    assert view_label in body and transcript_label in body
    agency_name = agency_a.name_kk if language == "kk" else agency_a.name_ru
    assert f"Гүлнар Сейітова, {role} ({agency_name})" in body
    local = timezone.localtime(AccessLogEntry.objects.first().at).strftime("%d.%m.%Y %H:%M")
    assert local in body


@pytest.mark.django_db
def test_my_learning_lists_bulk_reads_of_my_state_body_only(
    client, hr_officer_a, servant_of_a, agency_a, agency_b
):
    access_record(
        actor=hr_officer_a,
        what="export.ratings",
        filters={"format": "csv"},
        row_count=1600,
        agency_ids=[agency_a.pk],
    )
    b_user = UserFactory(username="servant-b", role=roles.CIVIL_SERVANTS)
    servant_b = ServantFactory(agency=agency_b, user=b_user)
    client.force_login(servant_of_a.user)
    body = client.get("/en/my/").content.decode()
    assert "Exported performance ratings" in body
    assert "covering your state body: 1600 rows" in body
    client.force_login(servant_b.user)
    response = client.get("/en/my/")
    assert response.context["access_entries"] == []
    assert "Nobody else has viewed your record in the last 12 months." in response.content.decode()
