"""Append-only admin sections stay so for a superuser: the audit trail, certificates,
enrolments and qualification records change only through their services (issue, revoke,
results, Correct), never through a generic add/edit/delete/copy form."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue
from enrolments.models import Enrolment
from tests.factories import SessionFactory

SECTIONS = ("audit_trail", "certificates", "enrolments", "records")


@pytest.fixture
def rows(completed_record, academy_manager, today):
    """One row of each append-only section."""
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    later = SessionFactory(
        programme=completed_record.enrolment.session.programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=14),
    )
    enrolment = Enrolment.objects.create(
        servant=completed_record.servant,
        session=later,
        status="enrolled",
        requested_at=timezone.now(),
    )
    return {
        "audit_trail": LogEntry.objects.get_for_object(completed_record).first(),
        "certificates": certificate,
        "enrolments": enrolment,
        "records": completed_record,
    }


def refused(response):
    return response.status_code in (403, 404)


@pytest.mark.django_db
def test_a_superuser_cannot_edit_an_audit_entry(client, superuser, rows):
    entry = rows["audit_trail"]
    client.force_login(superuser)
    response = client.post(f"/admin/audit_trail/edit/{entry.pk}/", {"object_repr": "Forged"})
    assert refused(response)
    entry.refresh_from_db()
    assert entry.object_repr != "Forged"
    assert entry.actor != superuser


@pytest.mark.django_db
def test_a_superuser_cannot_delete_an_audit_entry(client, superuser, rows):
    entry = rows["audit_trail"]
    client.force_login(superuser)
    assert refused(client.post(f"/admin/audit_trail/delete/{entry.pk}/"))
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_a_superuser_cannot_change_a_certificate_serial(client, superuser, rows):
    certificate = rows["certificates"]
    serial = certificate.serial
    client.force_login(superuser)
    response = client.post(f"/admin/certificates/edit/{certificate.pk}/", {"serial": "FAKE-0001"})
    assert refused(response)
    certificate.refresh_from_db()
    assert certificate.serial == serial
    assert not Certificate.objects.filter(serial="FAKE-0001").exists()


@pytest.mark.django_db
def test_a_superuser_cannot_complete_an_enrolment_by_hand(client, superuser, rows):
    enrolment = rows["enrolments"]
    client.force_login(superuser)
    response = client.post(f"/admin/enrolments/edit/{enrolment.pk}/", {"status": "completed"})
    assert refused(response)
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


@pytest.mark.django_db
def test_a_superuser_cannot_edit_a_record_title_in_place(client, superuser, rows):
    record = rows["records"]
    title = record.title
    client.force_login(superuser)
    response = client.post(f"/admin/records/edit/{record.pk}/", {"title": "Forged course"})
    assert refused(response)
    record.refresh_from_db()
    assert record.title == title
    # The sanctioned door stays open: the Correct screen (a superseding record).
    assert client.get(reverse("enrolments_record_correct", args=[record.pk])).status_code == 200


@pytest.mark.django_db
def test_no_add_edit_delete_or_copy_for_a_superuser(client, superuser, rows):
    client.force_login(superuser)
    for section, row in rows.items():
        prefix = f"/admin/{section}/"
        assert refused(client.get(f"{prefix}new/")), section
        for action in ("edit", "delete", "copy"):
            assert refused(client.get(f"{prefix}{action}/{row.pk}/")), (section, action)
        for page in (prefix, f"{prefix}inspect/{row.pk}/"):
            response = client.get(page)
            assert response.status_code == 200, page
            html = response.content.decode()
            for action in ("new/", f"edit/{row.pk}/", f"delete/{row.pk}/", f"copy/{row.pk}/"):
                assert f"{prefix}{action}" not in html, (page, action)
    # The services' own screens stay: revoke a certificate, download its PDF.
    certificate = rows["certificates"]
    index = client.get(reverse("certificates:index")).content.decode()
    assert reverse("certificates:revoke", args=[certificate.pk]) in index
    assert client.get(reverse("certificates:revoke", args=[certificate.pk])).status_code == 200
