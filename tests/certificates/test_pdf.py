"""The PDF itself: both languages, the serial, a QR code that decodes to the check URL."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from certificates.rendering import render_certificate_pdf
from certificates.services import certificate_issue, certificate_revoke


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.django_db
def test_the_pdf_holds_name_programme_in_both_languages_and_serial(
    completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    pdf = render_certificate_pdf(certificate)
    pages, text = pdf_text(pdf)
    assert pages == 1
    assert "Жұмабаева Әйгерім Серікқызы" in text
    assert squash("Сыбайлас жемқорлыққа қарсы іс-қимыл") in squash(text)
    assert squash("Противодействие коррупции") in squash(text)
    assert certificate.serial in text
    assert "академиялық сағат" in text and "академических часов" in text


@pytest.mark.django_db
def test_a_120_character_name_wraps_on_one_page(completed_record, academy_manager):
    servant = completed_record.servant
    servant.last_name = "Құдайбергенова-Сағынтаева-Иманғалиева-Жақсылықова"
    servant.first_name = "Әйгерім-Гүлнар-Салтанат-Ақмарал-Назерке"
    servant.middle_name = "Бауыржанқызы-Серікқызы-Нұрланқызы"
    servant.save()
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    assert len(certificate.holder_name) >= 120
    pages, text = pdf_text(render_certificate_pdf(certificate))
    assert pages == 1
    assert squash(certificate.holder_name) in squash(text)


@pytest.mark.django_db
def test_the_qr_code_decodes_to_the_verification_url(completed_record, academy_manager, tmp_path):
    for tool in ("pdftoppm", "zbarimg"):
        assert shutil.which(tool), (
            f"{tool} is needed (make setup installs poppler-utils, zbar-tools)"
        )
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    (tmp_path / "c.pdf").write_bytes(render_certificate_pdf(certificate))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page-1.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == certificate.verify_url
    assert decoded.endswith(f"/verify/{certificate.verification_code}/")


@pytest.mark.django_db
def test_a_revoked_certificate_never_prints_as_valid(completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate_revoke(certificate=certificate, reason="Ошибка", actor=academy_manager)
    certificate.refresh_from_db()
    _, text = pdf_text(render_certificate_pdf(certificate))
    assert "КҮШІ ЖОЙЫЛДЫ" in text and "АННУЛИРОВАН" in text
