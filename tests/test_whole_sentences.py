"""Sentences are translated whole: a value (a title, a number of hours, a date, a name) sits in
its place inside one catalog message, so each language keeps its own word order, and Russian
never falls back on gendered endings such as «прошёл(-ла)» or «Уважаемый(-ая)»."""

import datetime
import html
import io
import re
import subprocess
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.rendering import certificate_page_html, render_certificate_pdf
from certificates.services import certificate_issue
from enrolments.models import Enrolment
from enrolments.results import enrolment_record_result
from tests.catalogs import catalog_entries
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
    assert (
        squash(
            "«Сыбайлас жемқорлыққа қарсы іс-қимыл» біліктілікті арттыру бағдарламасы бойынша "
            "02.03.2026 – 06.03.2026 аралығында 40 академиялық сағат көлемінде оқудан өтті."
        )
        in text
    )
    assert (
        squash(
            "Обучение по программе повышения квалификации «Противодействие коррупции» в объёме "
            "40 академических часов пройдено в период с 02.03.2026 по 06.03.2026."
        )
        in text
    )
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
        "«Т» семинарынан 02.03.2026 – 06.03.2026 аралығында 21 академиялық сағат көлемінде өтті.",
        "Обучение на семинаре «Т» в объёме 21 академического часа пройдено в период "
        "с 02.03.2026 по 06.03.2026.",
    ),
    ("seminar", False): (
        "«Т» семинарынан 21 академиялық сағат көлемінде өтті. Семинар аяқталған күні: 06.03.2026.",
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


# E-mails: the person is greeted by first name and patronymic and spoken to as «сіз»/«вы»;
# HR's copy is a letter of its own, in the language of the officer's back office, pointing
# at the servant's page there (My learning would answer an HR officer with 403).


def set_admin_language(user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def lapsing_servants(db, agency_a):
    """Two servants, one reading Kazakh, one Russian (the reminder task is called with the
    day their requirement lapses), and an open session that would renew it."""
    from promotions.models import RuleSet

    RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    SessionFactory(programme=ProgrammeFactory(code="DIGITAL-C", academic_hours=40))
    kazakh = ServantFactory(
        agency=agency_a,
        email="kk@example.kz",
        preferred_language="kk",
        last_name="Жұмабаева",
        first_name="Әйгерім",
        middle_name="Серікқызы",
        first_appointed_on=datetime.date(2010, 1, 1),
    )
    russian = ServantFactory(
        agency=agency_a,
        email="ru@example.kz",
        preferred_language="ru",
        last_name="Иванов",
        first_name="Иван",
        middle_name="Петрович",
        first_appointed_on=datetime.date(2010, 1, 1),
    )
    return kazakh, russian


LAPSES_ON = datetime.date(2027, 1, 15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "greeting", "sentence"),
    [
        (
            0,
            "Сәлеметсіз бе, Әйгерім Серікқызы!",
            "Бүгін сіз оқу талабына сәйкес келесіз, бірақ 15.01.2027 бастап сәйкес келмейсіз: "
            "ескерілген ең ерте оқуыңыз есептік кезеңнен шығады.",
        ),
        (
            1,
            "Здравствуйте, Иван Петрович!",
            "Сегодня вы соответствуете требованию к обучению, но с 15.01.2027 перестанете ему "
            "соответствовать: самое раннее учтённое обучение выйдет за пределы расчётного "
            "периода.",
        ),
    ],
)
def test_the_lapse_reminder_greets_the_servant_and_speaks_to_them(
    lapsing_servants, mailoutbox, who, greeting, sentence
):
    from promotions.tasks import send_training_reminder

    servant = lapsing_servants[who]
    assert send_training_reminder.call(servant.pk, LAPSES_ON.isoformat()) == 1  # no HR e-mail
    (mail,) = mailoutbox
    assert mail.to == [servant.email]
    assert mail.body.startswith(greeting + "\n")
    assert sentence in " ".join(mail.body.split())
    assert f"/{servant.preferred_language}/my/" in mail.body
    assert mail.extra_headers["Content-Language"] == servant.preferred_language
    assert "Уважаем" not in mail.body and "Құрметті" not in mail.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "greeting", "sentence"),
    [
        (
            "ru",
            "Здравствуйте, Гульнара!",
            "Жұмабаева Әйгерім Серікқызы: требование к обучению сегодня выполнено, но "
            "перестанет выполняться с 15.01.2027, когда самое раннее учтённое обучение выйдет "
            "за пределы расчётного периода.",
        ),
        (
            "kk",
            "Сәлеметсіз бе, Гульнара!",
            "Жұмабаева Әйгерім Серікқызы үшін оқу талабы бүгін орындалған, бірақ ескерілетін "
            "ең ерте оқу есептік кезеңнен шыққан кезде, 15.01.2027 бастап орындалмайды.",
        ),
    ],
)
def test_hr_gets_its_own_letter_in_its_back_office_language_with_the_admin_link(
    lapsing_servants, hr_officer_a, mailoutbox, client, language, greeting, sentence
):
    from promotions.tasks import send_training_reminder

    hr_officer_a.email = "hr@example.kz"
    hr_officer_a.first_name = "Гульнара"
    hr_officer_a.save()
    set_admin_language(hr_officer_a, language)
    kazakh = lapsing_servants[0]
    assert send_training_reminder.call(kazakh.pk, LAPSES_ON.isoformat()) == 2
    servant_mail, hr_mail = mailoutbox
    assert hr_mail.to == ["hr@example.kz"]
    assert hr_mail.extra_headers["Content-Language"] == language
    assert hr_mail.body.startswith(greeting + "\n")
    assert sentence in " ".join(hr_mail.body.split())
    assert "/my/" not in hr_mail.body
    # The servant's own letter stays in the servant's language, in the second person.
    assert servant_mail.body.startswith("Сәлеметсіз бе, Әйгерім Серікқызы!")
    # The link opens the servant's page for this officer.
    link = next(w for w in hr_mail.body.split() if "/admin/" in w)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert path == f"/admin/servants/inspect/{kazakh.pk}/"
    client.force_login(hr_officer_a)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event", "who", "greeting", "sentence"),
    [
        ("enrolled", 0, "Сәлеметсіз бе, Әйгерім Серікқызы!", "Сіз мына оқуға қабылдандыңыз:"),
        ("enrolled", 1, "Здравствуйте, Иван Петрович!", "Вы зачислены на обучение:"),
        (
            "waitlisted",
            1,
            "Здравствуйте, Иван Петрович!",
            "Свободных мест в учебной группе нет. Вы включены в лист ожидания под номером",
        ),
    ],
)
def test_enrolment_emails_greet_by_first_name_and_patronymic(
    lapsing_servants, mailoutbox, event, who, greeting, sentence
):
    from courses.models import Session
    from enrolments.tasks import send_enrolment_email

    servant = lapsing_servants[who]
    enrolment = Enrolment.objects.create(
        servant=servant,
        session=Session.objects.get(),
        status="waitlisted" if event == "waitlisted" else "enrolled",
        requested_at=timezone.now(),
    )
    assert send_enrolment_email.call(enrolment.pk, event)
    (mail,) = mailoutbox
    assert mail.body.startswith(greeting + "\n")
    assert sentence in " ".join(mail.body.split())
    assert mail.extra_headers["Content-Language"] == servant.preferred_language
    assert "Уважаем" not in mail.body and "Құрметті" not in mail.body


# The back office in Russian: Wagtail's Russian catalog glues a model's name, in the nominative,
# into sentences («Добавить учебная группа»); locale_backoffice/ru puts it after a colon.
# Words Wagtail translates once at start-up (in Kazakh, the default language) are translated
# per request, and no message falls back on the Kazakh catalog.

KAZAKH_LETTERS = re.compile(r"\w*[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\w*")


def visible_text(body: str) -> str:
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<svg\b.*?</svg>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def admin_page(client, user, language, url):
    set_admin_language(user, language)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return visible_text(response.content.decode())


@pytest.mark.django_db
def test_the_russian_admin_adds_a_session_with_the_name_after_a_colon(client, academy_manager):
    text = admin_page(
        client, academy_manager, "ru", reverse("wagtailsnippets_courses_session:list")
    )
    assert "Добавить: учебная группа" in text
    assert "Добавить учебная группа" not in text
    text = admin_page(client, academy_manager, "ru", reverse("wagtailsnippets_courses_session:add"))
    assert "Новая запись: Учебная группа" in text
    assert "Новый: Учебная группа" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("wagtailsnippets_courses_session:list"),
        lambda: reverse("wagtailsnippets_courses_session:add"),
        lambda: reverse("wagtailsnippets_courses_programme:add"),
    ],
    ids=["sessions", "new session", "new programme"],
)
def test_the_russian_admin_has_no_kazakh_words(client, academy_manager, url):
    # Before: «Басты бет» in the breadcrumbs, «Бағдарлама таңдау» on the programme chooser,
    # «- Нұсқаны таңдаңыз -» in every select (messages Russian catalogs lack).
    text = admin_page(client, academy_manager, "ru", url())
    assert KAZAKH_LETTERS.findall(text) == []
    assert "Главная" in text


@pytest.mark.django_db
def test_the_programme_chooser_speaks_the_readers_language(client, academy_manager):
    url = reverse("wagtailsnippets_courses_session:add")
    assert "Выбрать: программа" in admin_page(client, academy_manager, "ru", url)
    # The same process, the next reader in Kazakh: nothing kept from the first page.
    assert "Бағдарлама" in admin_page(client, academy_manager, "kk", url)
    assert "Басты бет" in admin_page(client, academy_manager, "kk", url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label", "glued"),
    [("ru", "Вид программы", "Программа вид"), ("kk", "Бағдарлама түрі", "Бағдарлама түр")],
)
@pytest.mark.parametrize(
    "url",
    [lambda: reverse("wagtailsnippets_courses_session:list"), lambda: "/admin/enrolments/"],
    ids=["sessions", "enrolments"],
)
def test_the_programme_kind_filter_has_a_label_of_its_own(
    client, academy_manager, language, label, glued, url
):
    text = admin_page(client, academy_manager, language, url())
    assert label in text
    assert glued not in text.replace(label, "")


BACKOFFICE = Path(settings.BASE_DIR) / "locale_backoffice"
PACKAGES = Path(django.__file__).parent.parent


def translated(path: Path) -> set[tuple[str, str]]:
    return catalog_entries(path, "--translated", "--no-fuzzy")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_no_back_office_message_falls_back_on_kazakh_for_a_russian_reader(domain):
    # Django shows a message missing from every Russian catalog from the default language's
    # catalog: Kazakh, in the Russian admin. Whatever locale_backoffice/kk translates, some
    # Russian catalog (Django's, Wagtail's, ours) translates too.
    russian = set()
    for folder in (PACKAGES / "django", PACKAGES / "wagtail"):
        for path in folder.glob(f"**/locale/ru/LC_MESSAGES/{domain}.po"):
            russian |= translated(path)
    for folder in (Path(settings.BASE_DIR) / "locale", BACKOFFICE):
        path = folder / "ru" / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            russian |= translated(path)
    kazakh = translated(BACKOFFICE / "kk" / "LC_MESSAGES" / f"{domain}.po")
    assert sorted(kazakh - russian)[:10] == []
    report = subprocess.run(
        [
            "msgfmt",
            "-c",
            "--statistics",
            "-o",
            "/dev/null",
            str(BACKOFFICE / "ru" / "LC_MESSAGES" / f"{domain}.po"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stderr.strip()
    assert re.fullmatch(r"\d+ translated messages\.", report), report
