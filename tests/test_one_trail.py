"""The same change leaves the same trail whichever door it came through.

An auditor reading the history of a qualification record must not be able to tell the admin,
a file import and the REST API apart by what is missing: a correction made through each of them
gives a new current record that supersedes the old one, a Wagtail history entry
`enrolments.record.corrected` on the new record naming its author, and auditlog rows (the new
record created, the old one updated to `is_current = False`) with the same actor.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from enrolments.models import QualificationRecord
from enrolments.resources import NAMES
from tests.conftest import admin_in_english
from tests.factories import ServantFactory

DAY = datetime.date(2025, 5, 1)
# Fields whose values differ between two corrections by nature (ids, times, who, the wording).
VARYING = {
    "id",
    "uid",
    "created_at",
    "updated_at",
    "correction_reason",
    "correction_basis",
    "supersedes",
    "servant",
    "created_by",
}


def imported_record(servant) -> QualificationRecord:
    return QualificationRecord.objects.create(
        servant=servant,
        title="Курс",
        kind="upgrade",
        provider="Academy",
        hours=36,
        completed_on=DAY,
        valid_until=datetime.date(2028, 5, 1),  # as an import computes it
        source="import",
    )


def through_the_admin(client, record, manager, _hr):
    client.force_login(manager)
    url = reverse("enrolments_record_correct", args=[record.pk])
    assert client.get(reverse("records:index")).content.decode().count(url) == 1
    response = client.post(
        url,
        {
            **{name: getattr(record, name) for name in NAMES},
            "kind": record.kind,
            "hours": 40,
            "completed_on": record.completed_on.isoformat(),
            "valid_until": record.valid_until.isoformat(),
            "certificate_number": "",
            "reason": "Часы указаны неверно",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return manager


def through_an_import(client, record, _manager, hr):
    client.force_login(admin_in_english(hr))
    rows = (
        "iin;programme_title;provider;hours;completed_on\n"
        f"{record.servant.iin};Курс;Academy;40;01.05.2025\n"
    )
    upload = SimpleUploadedFile("completions.csv", rows.encode(), content_type="text/csv")
    response = client.post(
        reverse("cms_import"), {"resource": "completions", "import_file": upload}
    )
    assert "1 updated" in response.content.decode(), response.content.decode()[:3000]
    token = response.context["token"]
    response = client.post(
        reverse("cms_import"), {"confirm": "1", "import_file_name": token}, follow=True
    )
    assert "Imported: 0 new, 1 updated, 0 unchanged." in response.content.decode()
    return hr


def through_the_api(_client, record, _manager, hr):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=hr)[0].key}")
    body = {
        "iin": record.servant.iin,
        "programme_title": "Курс",
        "provider": "Academy",
        "hours": 40,
        "completed_on": "2025-05-01",
    }
    response = api.post("/api/v1/completions/", body, format="json")
    assert response.status_code == 200, response.json()
    return hr


def trail(old: QualificationRecord, actor) -> dict:
    """What an auditor reads about the correction, with the parts that may differ (ids, times,
    the reason's wording) left out."""
    new = QualificationRecord.objects.get(supersedes=old)
    old.refresh_from_db()
    assert new.is_current and not old.is_current and new.hours == 40
    history = [
        (entry.action, entry.user == actor, entry.data["supersedes"] == old.pk)
        for entry in ModelLogEntry.objects.filter(object_id=str(new.pk)).filter(
            content_type__model="qualificationrecord"
        )
    ]
    # The record's own fields. (A save() also lists the empty reverse manager `certificates`
    # of a new record, as a meaningless "None → certificates.Certificate.None".)
    own = {f.name for f in QualificationRecord._meta.concrete_fields}
    audit_new = [
        (
            _action(entry),
            entry.actor == actor,
            sorted(own & set(entry.changes_dict)),
            {k: v for k, v in entry.changes_dict.items() if k in own - VARYING},
        )
        for entry in LogEntry.objects.get_for_object(new)
    ]
    audit_old = [
        (_action(entry), entry.actor == actor, entry.changes_dict)
        for entry in LogEntry.objects.get_for_object(old).filter(action=LogEntry.Action.UPDATE)
    ]
    return {"history": history, "audit new": audit_new, "audit old": audit_old}


@pytest.mark.django_db
def test_admin_import_and_api_leave_the_same_trail(client, academy_manager, hr_officer_a, agency_a):
    trails = {}
    for door in (through_the_admin, through_an_import, through_the_api):
        record = imported_record(ServantFactory(agency=agency_a))
        actor = door(client, record, academy_manager, hr_officer_a)
        client.logout()
        trails[door.__name__] = trail(record, actor)
    admin = trails["through_the_admin"]
    assert admin["history"] == [("enrolments.record.corrected", True, True)]
    assert admin["audit new"][0][:2] == ("create", True)
    assert admin["audit new"][0][3]["hours"] == ["None", "40"]
    assert admin["audit old"] == [("update", True, {"is_current": ["True", "False"]})]
    assert trails["through_an_import"] == admin
    assert trails["through_the_api"] == admin


@pytest.mark.django_db
def test_a_new_imported_record_is_in_the_history_and_the_audit(hr_officer_a, agency_a):
    servant = ServantFactory(agency=agency_a)
    through_the_api_new(servant, hr_officer_a)
    record = QualificationRecord.objects.get(servant=servant)
    entry = ModelLogEntry.objects.get(object_id=str(record.pk), action="enrolments.record.created")
    assert entry.user == hr_officer_a
    audit = LogEntry.objects.get_for_object(record).get()
    assert audit.action == LogEntry.Action.CREATE and audit.actor == hr_officer_a
    assert audit.changes_dict["hours"] == ["None", "24"]


def through_the_api_new(servant, hr):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=hr)[0].key}")
    body = {
        "iin": servant.iin,
        "programme_title": "Аудит",
        "provider": "АГУ",
        "hours": 24,
        "completed_on": "2025-10-01",
    }
    assert api.post("/api/v1/completions/", body, format="json").status_code == 200


def _action(entry) -> str:
    """The audit entry's action as django-auditlog names it in English (create, update…)."""
    with translation.override("en"):
        return entry.get_action_display()
