import io
import zipfile

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_issue


@pytest.mark.django_db
def test_manager_issues_a_session_and_downloads_the_zip(
    client, completed_record, academy_manager, django_capture_on_commit_callbacks
):
    session = completed_record.enrolment.session
    client.force_login(academy_manager)
    url = reverse("certificates_issue_session", args=[session.pk])
    assert "Completed without a certificate: 1" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert Certificate.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # again: nothing new
    assert Certificate.objects.count() == 1
    response = client.get(reverse("certificates_session_zip", args=[session.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [f"{Certificate.objects.get().serial}.pdf"]
    assert archive.read(names[0]).startswith(b"%PDF")


@pytest.mark.django_db
def test_revoke_screen(client, completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    client.force_login(academy_manager)
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Ошибка в данных"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


@pytest.mark.django_db
def test_hr_sees_only_their_agencys_certificates(
    client, completed_record, academy_manager, agency_b
):
    from tests.factories import hr_officer_for

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    client.force_login(hr_officer_for(agency_b, username="hr-b"))
    assert certificate.serial not in client.get(reverse("certificates:index")).content.decode()
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("certificates:revoke", args=[certificate.pk])).status_code in (
        302,
        403,
    )


@pytest.mark.django_db
def test_the_certificates_page_offers_pdf_verification_and_revoke(
    client, completed_record, academy_manager, hr_officer_a
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    url = reverse("certificates:inspect", args=[certificate.pk])
    client.force_login(academy_manager)
    body = client.get(url).content.decode()
    assert reverse("certificates:pdf", args=[certificate.pk]) in body
    assert f'href="{certificate.verify_path}"' in body
    assert reverse("certificates:revoke", args=[certificate.pk]) in body
    assert ">None<" not in body and "None\n" not in body
    assert client.get(reverse("certificates:pdf", args=[certificate.pk])).content[:4] == b"%PDF"
    # HR of the holder's agency reads it and its PDF, but may not revoke.
    client.force_login(hr_officer_a)
    body = client.get(url).content.decode()
    assert reverse("certificates:pdf", args=[certificate.pk]) in body
    assert reverse("certificates:revoke", args=[certificate.pk]) not in body
    # Once revoked, nobody is offered to revoke it again.
    client.force_login(academy_manager)
    client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "Ошибка"})
    assert (
        reverse("certificates:revoke", args=[certificate.pk])
        not in client.get(url).content.decode()
    )
