"""Changes to registered models are recorded with who, when, before and after."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import ServantFactory


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_recorded_with_its_author_and_diff(client, hr_officer_a, agency_a):
    servant = ServantFactory(agency=agency_a, email="old@example.kz")
    client.force_login(hr_officer_a)
    response = client.post(
        reverse("servants:edit", args=[servant.pk]),
        {
            "iin": servant.iin,
            "last_name": servant.last_name,
            "first_name": servant.first_name,
            "middle_name": servant.middle_name,
            "email": "new@example.kz",
            "preferred_language": "ru",
            "agency": agency_a.pk,
            "position": servant.position_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(servant).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == hr_officer_a
    assert entry.changes_dict["email"] == ["old@example.kz", "new@example.kz"]


@pytest.mark.django_db
def test_the_auditor_reads_the_trail_in_the_admin(client, auditor, agency_a):
    ServantFactory(agency=agency_a, last_name="Оспанов")
    client.force_login(auditor)
    response = client.get(reverse("audit_trail:index"))
    assert response.status_code == 200
    assert "Оспанов" in response.content.decode()
    entry = LogEntry.objects.first()
    assert client.get(reverse("audit_trail:inspect", args=[entry.pk])).status_code == 200
    assert client.get(f"/admin/audit_trail/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/audit_trail/delete/{entry.pk}/").status_code == 404
