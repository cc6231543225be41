import re

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateStatus
from certificates.services import (
    CertificateRefused,
    certificate_issue,
    certificate_revoke,
    certificates_issue_pending,
)
from enrolments.results import qualification_record_correct


@pytest.mark.django_db
def test_issue_freezes_the_content_and_numbers_it(completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    assert re.fullmatch(r"ZKO-\d{4}-000001", certificate.serial)
    assert certificate.holder_name == "Жұмабаева Әйгерім Серікқызы"
    assert certificate.title_ru == "Противодействие коррупции"
    assert certificate.title_kk == "Сыбайлас жемқорлыққа қарсы іс-қимыл"
    assert certificate.holder_iin_masked.count("•") == 8
    # Renaming the programme later does not touch the issued certificate.
    programme = completed_record.programme
    programme.title_ru = "Новое название"
    programme.save()
    certificate.refresh_from_db()
    assert certificate.title_ru == "Противодействие коррупции"
    assert ModelLogEntry.objects.filter(action="certificates.certificate.issued").exists()


@pytest.mark.django_db
def test_issuing_twice_returns_the_same_certificate(completed_record, academy_manager):
    first = certificate_issue(record=completed_record, actor=academy_manager)
    second = certificate_issue(record=completed_record, actor=academy_manager)
    assert first == second and Certificate.objects.count() == 1


@pytest.mark.django_db
def test_verification_code_is_random_and_unrelated_to_the_serial(completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    code = certificate.verification_code
    assert len(code) >= 20  # 15 random bytes = 120 bits, base64url
    import base64

    assert len(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))) * 8 >= 80
    assert certificate.serial not in code


@pytest.mark.django_db
def test_serials_count_up_per_year_without_gaps(academy_manager, completed_record):
    from enrolments.models import QualificationRecord

    records = [completed_record]
    for index in range(4):
        records.append(
            QualificationRecord.objects.create(
                servant=completed_record.servant,
                title=f"Курс {index}",
                kind="upgrade",
                provider="Academy",
                hours=8,
                completed_on=completed_record.completed_on,
                valid_until=completed_record.valid_until,
                source="manual",
            )
        )
    numbers = [certificate_issue(record=r, actor=academy_manager).number for r in records]
    assert numbers == [1, 2, 3, 4, 5]


@pytest.mark.django_db
def test_only_the_academy_issues_and_revokes(completed_record, hr_officer_a, academy_manager):
    with pytest.raises(PermissionDenied):
        certificate_issue(record=completed_record, actor=hr_officer_a)
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, reason="x", actor=hr_officer_a)


@pytest.mark.django_db
def test_revocation_needs_a_reason_and_is_audited(completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    with pytest.raises(CertificateRefused):
        certificate_revoke(certificate=certificate, reason="", actor=academy_manager)
    certificate_revoke(certificate=certificate, reason="Подложные документы", actor=academy_manager)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    entry = ModelLogEntry.objects.get(action="certificates.certificate.revoked")
    assert entry.data["reason"] == "Подложные документы" and entry.user == academy_manager


@pytest.mark.django_db
def test_a_correction_reissues_and_supersedes(
    completed_record, academy_manager, django_capture_on_commit_callbacks
):
    old = certificate_issue(record=completed_record, actor=academy_manager)
    with django_capture_on_commit_callbacks(execute=True):
        new_record = qualification_record_correct(
            record=completed_record, actor=academy_manager, reason="Неверные часы", hours=36
        )
    new = Certificate.objects.get(record=new_record)
    old.refresh_from_db()
    assert new.supersedes == old and new.hours == 36
    assert old.status == CertificateStatus.SUPERSEDED and new.status == CertificateStatus.VALID
    assert ModelLogEntry.objects.filter(action="certificates.certificate.reissued").exists()


@pytest.mark.django_db
def test_expired_after_its_validity(completed_record, academy_manager):
    import datetime

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    later = certificate.valid_until + datetime.timedelta(days=1)
    assert certificate.status_on(certificate.valid_until) == CertificateStatus.VALID
    assert certificate.status_on(later) == CertificateStatus.EXPIRED


@pytest.mark.django_db
def test_bulk_issue_is_idempotent_and_reports_progress(completed_record, academy_manager):
    seen = []
    issued = certificates_issue_pending(actor=None, progress=lambda d, t: seen.append((d, t)))
    assert len(issued) == 1 and seen == [(1, 1)]
    assert certificates_issue_pending(actor=None) == []


@pytest.mark.django_db
def test_issue_certificates_command(completed_record):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    session_id = completed_record.enrolment.session_id
    call_command("issue_certificates", "--session", str(session_id), stdout=out)
    assert "Certificates issued: 1" in out.getvalue() and "1/1" in out.getvalue()
    out = io.StringIO()
    call_command("issue_certificates", "--all-pending", stdout=out)
    assert "Certificates issued: 0" in out.getvalue()


@pytest.mark.django_db
def test_a_withdrawn_result_revokes_the_certificate_and_recompletion_supersedes(
    completed_record, academy_manager, django_capture_on_commit_callbacks
):
    from enrolments.results import enrolment_record_result

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    enrolment = completed_record.enrolment
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_record_result(
            enrolment=enrolment, attended_hours=0, passed=False, actor=academy_manager
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoke_reason
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_record_result(
            enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
        )
    new_record = enrolment.qualification_records.get(is_current=True)
    assert new_record.supersedes == completed_record
    assert len(certificates_issue_pending(actor=None)) == 1
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_reissue_touches_the_old_certificate_for_incremental_syncs(
    completed_record, academy_manager, django_capture_on_commit_callbacks
):
    old = certificate_issue(record=completed_record, actor=academy_manager)
    before = old.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        qualification_record_correct(
            record=completed_record, actor=academy_manager, reason="fix", hours=36
        )
    old.refresh_from_db()
    assert old.updated_at > before and old.status == CertificateStatus.SUPERSEDED
