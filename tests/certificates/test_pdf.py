"""The PDF itself: both languages, the serial, a QR code that decodes to the check URL."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from certificates.rendering import COMPACT_NAME, render_certificate_pdf
from certificates.services import certificate_issue, certificate_revoke


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return "".join(text.split())


def drawn(resources, category: str) -> list:
    """The `category` resources (/XObject, /ExtGState) a page draws with, its forms' included
    (the parts every certificate of a branch shares come as one form under the page)."""
    found = [entry.get_object() for entry in resources.get(category, {}).values()]
    for entry in resources.get("/XObject", {}).values():
        entry = entry.get_object()
        if entry.get("/Subtype") == "/Form":
            found += drawn(entry.get("/Resources", {}), category)
    return found


def logos(resources) -> list:
    """The images a page draws but the QR code (the one image drawn without smoothing)."""
    images = [x for x in drawn(resources, "/XObject") if x["/Subtype"] == "/Image"]
    assert [x["/Interpolate"].value for x in images].count(False) == 1  # the QR code
    return [x for x in images if x["/Interpolate"].value]


def certify_classmates(completed_record, academy_manager, last_names):
    """Completions for more servants in the record's session, and certificates for everyone
    in it; returns the certificates in issue order."""
    from django.utils import timezone

    from certificates.models import Certificate
    from enrolments.models import Enrolment
    from enrolments.results import enrolment_record_result
    from tests.factories import ServantFactory

    session = completed_record.enrolment.session
    for last_name in last_names:
        enrolment = Enrolment.objects.create(
            servant=ServantFactory(agency=completed_record.servant.agency, last_name=last_name),
            session=session,
            status="enrolled",
            requested_at=timezone.now(),
        )
        enrolment_record_result(
            enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
        )
    for enrolment in session.enrolments.all():
        certificate_issue(record=enrolment.qualification_records.get(), actor=academy_manager)
    return list(Certificate.objects.select_related("record", "superseded_by").order_by("pk"))


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
    # The statement is one sentence now, wrapped wherever the line ends.
    assert squash("академиялық сағат") in squash(text)
    assert squash("академических часов") in squash(text)


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


@pytest.mark.parametrize("split", ["pikepdf", "weasyprint"])
@pytest.mark.django_db
def test_bulk_rendering_gives_each_certificate_its_own_one_page_pdf(
    completed_record, academy_manager, monkeypatch, split
):
    """Bulk renders lay several certificates out in one document; each PDF must still hold
    exactly its own holder's page, the same text as a one-off render. (The second run takes
    the path used when a design shares more than images between pages.)"""
    from certificates import rendering

    if split == "weasyprint":
        monkeypatch.setattr(rendering, "_shares_only_images", lambda pdf: False)
    from certificates.rendering import render_certificate_pdfs

    certificates = certify_classmates(
        completed_record, academy_manager, ["Сейітова", "Петров", "Оспанов"]
    )
    assert len(certificates) == 4

    rendered = list(render_certificate_pdfs(certificates, batch_size=3))

    assert [c.pk for c, _ in rendered] == [c.pk for c in certificates]
    for certificate, pdf in rendered:
        pages, text = pdf_text(pdf)
        assert pages == 1
        assert certificate.serial in text and certificate.holder_name in text
        others = [c for c in certificates if c.pk != certificate.pk]
        assert not any(c.serial in text or c.holder_name in text for c in others)
        assert text == pdf_text(render_certificate_pdf(certificate))[1]
        assert PdfReader(io.BytesIO(pdf)).metadata.title == certificate.serial


@pytest.mark.django_db
def test_the_branch_logo_is_printed_from_a_jpeg_rendition(
    completed_record, academy_manager, settings, tmp_path
):
    """A transparent PNG logo is flattened to a JPEG once, when the certificate is issued:
    the PDF carries it as a JPEG (DCTDecode) image."""
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from core.models import BranchSettings

    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    png = io.BytesIO()
    PillowImage.new("RGBA", (800, 800), (0, 98, 155, 128)).save(png, format="PNG")
    logo = get_image_model().objects.create(title="Logo", file=ImageFile(png, name="logo.png"))
    branch = BranchSettings.for_site(Site.objects.get(is_default_site=True))
    branch.logo = logo
    branch.save()

    certificate = certificate_issue(record=completed_record, actor=academy_manager)

    assert certificate.logo_path.endswith(".jpg")
    # The storage name, not an absolute path: a restore onto another MEDIA_ROOT keeps it.
    assert certificate.logo_path.startswith("certificates/logos/")
    assert (tmp_path / certificate.logo_path).is_file()
    # Renditions are a cache Wagtail may delete and rewrite; the certificate keeps its logo.
    call_command("wagtail_update_image_renditions", verbosity=0)
    page = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages[0]
    images = logos(page["/Resources"])
    assert [(x["/Filter"], x["/Height"]) for x in images] == [("/DCTDecode", 600)]


def test_the_certificate_font_has_every_kazakh_and_russian_letter():
    from fontTools.ttLib import TTFont

    from certificates.rendering import STYLESHEET

    font = TTFont(STYLESHEET.parent / "fonts" / "DejaVuSans-Certificate.ttf")
    covered = set(font.getBestCmap())
    letters = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    letters += letters.lower() + "ÄĞÑÖŞŪÜİäğñöşūüı№₸«»–—"
    assert [ch for ch in letters if ord(ch) not in covered] == []


@pytest.mark.django_db
def test_a_letter_outside_the_certificate_font_still_prints(completed_record, academy_manager):
    """The certificate font is a cut of DejaVu Sans; other letters come from the full font."""
    servant = completed_record.servant
    servant.first_name = "Ωმეგა"  # Greek and Georgian: not in the cut, in DejaVu Sans
    servant.save()
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    _, text = pdf_text(render_certificate_pdf(certificate))
    assert "Ωმეგა" in text


def test_bulk_splitting_refuses_pages_that_share_drawings():
    """A page split off a batch takes the batch's shared resources along: only images (the
    logo) may be there, not form XObjects that could hold another certificate's drawing."""
    import pikepdf
    from weasyprint import HTML

    from certificates.rendering import _shares_only_images

    def pdf(html):
        return pikepdf.open(io.BytesIO(HTML(string=html).write_pdf()))

    plain = "<p>one</p><p style='break-before: page'>two</p>"
    assert _shares_only_images(pdf(plain))
    translucent = "<p style='opacity: .5'>one</p><p style='break-before: page'>two</p>"
    assert not _shares_only_images(pdf(translucent))


@pytest.mark.django_db
def test_a_bulk_pdf_carries_only_its_own_images_and_states(
    completed_record, academy_manager, tmp_path
):
    """WeasyPrint shares one resource dictionary between the pages of a batch: a split-off
    page must not take the other pages' images (here: a different logo each) or the
    transparency of another certificate's void stamp along."""
    from PIL import Image as PillowImage

    from certificates.models import Certificate
    from certificates.rendering import render_certificate_pdfs

    certificates = certify_classmates(completed_record, academy_manager, ["Петров", "Оспанов"])
    for height, certificate in zip((100, 150, 200), certificates, strict=True):
        path = tmp_path / f"logo-{height}.jpg"
        PillowImage.new("RGB", (height, height), "navy").save(path)
        certificate.logo_path = str(path)
        certificate.save(update_fields=["logo_path"])
    certificate_revoke(certificate=certificates[0], reason="Ошибка", actor=academy_manager)
    certificates = list(
        Certificate.objects.select_related("record", "superseded_by").order_by("pk")
    )

    rendered = dict(render_certificate_pdfs(certificates))

    for height, certificate in zip((100, 150, 200), certificates, strict=True):
        page = PdfReader(io.BytesIO(rendered[certificate])).pages[0]
        resources = page["/Resources"]
        assert [x["/Height"] for x in logos(resources)] == [height]
        states = drawn(resources, "/ExtGState")
        translucent = any(float(x.get("/ca", 1)) < 1 for x in states)
        assert translucent == (certificate.revoked_at is not None)


@pytest.mark.django_db
def test_the_longest_names_and_titles_the_fields_allow_stay_on_one_page(
    completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate.holder_name = ("Құдайбергенова-Сағынтаева " * 12)[:300]
    certificate.title_kk = ("Мемлекеттік қызметтегі цифрлық трансформация " * 12)[:500]
    certificate.title_ru = ("Цифровая трансформация на государственной службе " * 11)[:500]
    certificate.save()
    pages, text = pdf_text(render_certificate_pdf(certificate))
    assert pages == 1
    assert squash(certificate.title_ru) in squash(text)
    assert certificate.serial in text


@pytest.mark.parametrize("case", ["plain", "long name, revoked"])
@pytest.mark.django_db
def test_the_page_laid_over_the_shared_form_looks_as_the_page_laid_out_whole(
    completed_record, academy_manager, tmp_path, case
):
    """Certificates are printed as the branch's form (frame, emblem, title, signatory, seal,
    laid out once) with each person's text laid out on top; the page must be the one the whole
    layout gives, whatever the heading's height (a long name makes the type smaller)."""
    from PIL import Image, ImageChops

    from certificates.rendering import _render_whole

    if case != "plain":
        # A surname near the register's limit (100 characters); with the given names the
        # holder's name is past COMPACT_NAME, so the heading is set in the smaller type.
        completed_record.servant.last_name = "Құдайбергенова-Сағынтаева-" * 3 + "Жақсылықова"
        completed_record.servant.save()
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    if case != "plain":
        assert len(certificate.holder_name) > COMPACT_NAME
        certificate_revoke(certificate=certificate, reason="Ошибка", actor=academy_manager)
        certificate.refresh_from_db()
    pictures = []
    for name, pdf in (
        ("layered", render_certificate_pdf(certificate)),
        ("whole", _render_whole(certificate)),
    ):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-singlefile",
                tmp_path / f"{name}.pdf",
                tmp_path / name,
            ],
            check=True,
        )
        pictures.append(Image.open(tmp_path / f"{name}.png").convert("L"))
    difference = ImageChops.difference(*pictures).point(lambda value: value > 64 and 255)
    assert difference.getbbox() is None
    # The form's font subset and the page's are two fonts: they must not share a name.
    page = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages[0]
    fonts = [font["/BaseFont"] for font in drawn(page["/Resources"], "/Font")]
    assert len(fonts) >= 2 and len(set(fonts)) == len(fonts)
    _, text = pdf_text(render_certificate_pdf(certificate))
    assert "С Е Р Т И Ф И К А Т" in text or "СЕРТИФИКАТ" in squash(text)
    assert certificate.branch_name_kk.split()[0] in text
    assert certificate.signatory_name in text
