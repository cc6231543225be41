"""Sentences are translated whole: a value (a title, a number of hours, a date, a name) sits in
its place inside one catalog message, so each language keeps its own word order, and Russian
never falls back on gendered endings such as «прошёл(-ла)» or «Уважаемый(-ая)»."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from certificates.rendering import certificate_page_html, render_certificate_pdf
from certificates.services import certificate_issue
from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory


def squash(text: str) -> str:
    """Text without its whitespace: a PDF breaks lines wherever the page ends."""
    return "".join(text.split())


@pytest.fixture
def certificate(agency_a, academy_manager):
    programme = ProgrammeFactory(
        code="ANTICOR-C",
        kind="upgrade",
        title_kk="Сыбайлас жемқорлыққа қарсы іс-қимыл",
        title_ru="Противодействие коррупции",
        academic_hours=40,
    )
    session = SessionFactory(
        programme=programme,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 6),
    )
    servant = ServantFactory(
        agency=agency_a, last_name="Жұмабаева", first_name="Әйгерім", middle_name="Серікқызы"
    )
    enrolment = Enrolment.objects.create(
        servant=servant, session=session, status="enrolled", requested_at=timezone.now()
    )
    enrolment_record_result(
        enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
    )
    return certificate_issue(record=enrolment.qualification_records.get(), actor=academy_manager)


@pytest.mark.django_db
def test_the_certificate_pdf_states_the_title_in_its_place_in_both_languages(certificate):
    reader = PdfReader(io.BytesIO(render_certificate_pdf(certificate)))
    text = squash("".join(page.extract_text() for page in reader.pages))
    assert squash(
        "«Сыбайлас жемқорлыққа қарсы іс-қимыл» біліктілікті арттыру бағдарламасы бойынша "
        "02.03.2026 – 06.03.2026 аралығында 40 академиялық сағат көлемінде оқудан өтті."
    ) in text
    assert squash(
        "Обучение по программе повышения квалификации «Противодействие коррупции» в объёме "
        "40 академических часов пройдено в период с 02.03.2026 по 06.03.2026."
    ) in text
    assert "(-ла)" not in text and "прошёл" not in text


STATEMENTS = {
    # kind, has a start date: (Kazakh, Russian) for 21 hours ending 06.03.2026
    ("retraining", True): (
        "«Т» қайта даярлау бағдарламасы бойынша 02.03.2026 – 06.03.2026 аралығында "
        "21 академиялық сағат көлемінде оқудан өтті.",
        "Обучение по программе переподготовки «Т» в объёме 21 академического часа пройдено "
        "в период с 02.03.2026 по 06.03.2026.",
    ),
    ("retraining", False): (
        "«Т» қайта даярлау бағдарламасы бойынша 21 академиялық сағат көлемінде оқудан өтті. "
        "Оқу аяқталған күні: 06.03.2026.",
        "Обучение по программе переподготовки «Т» в объёме 21 академического часа завершено "
        "06.03.2026.",
    ),
    ("seminar", True): (
        "«Т» семинарынан 02.03.2026 – 06.03.2026 аралығында 21 академиялық сағат көлемінде "
        "өтті.",
        "Обучение на семинаре «Т» в объёме 21 академического часа пройдено в период "
        "с 02.03.2026 по 06.03.2026.",
    ),
    ("seminar", False): (
        "«Т» семинарынан 21 академиялық сағат көлемінде өтті. "
        "Семинар аяқталған күні: 06.03.2026.",
        "Обучение на семинаре «Т» в объёме 21 академического часа завершено 06.03.2026.",
    ),
    ("upgrade", False): (
        "«Т» біліктілікті арттыру бағдарламасы бойынша 21 академиялық сағат көлемінде "
        "оқудан өтті. Оқу аяқталған күні: 06.03.2026.",
        "Обучение по программе повышения квалификации «Т» в объёме 21 академического часа "
        "завершено 06.03.2026.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "with_start"), list(STATEMENTS))
def test_each_kind_of_statement_is_one_sentence(certificate, kind, with_start):
    # The page as printed, for each kind of programme and of dates (not saved: certificates
    # are append-only).
    certificate.kind = kind
    certificate.title_kk = certificate.title_ru = "Т"
    certificate.hours = 21
    certificate.starts_on = datetime.date(2026, 3, 2) if with_start else None
    html = certificate_page_html(certificate)
    kazakh, russian = STATEMENTS[kind, with_start]
    assert kazakh in html
    assert russian in html
