"""Explanations are stored as codes and values and worded when read, in the reader's language:
a waiting-list promotion, an eligibility check and a history entry made while Russian was
active read in Kazakh for a Kazakh reader (and still in Russian for a Russian one)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.results import enrolment_record_result
from enrolments.services import enrolment_request, enrolment_withdraw
from promotions.models import EligibilityCheck
from promotions.services import eligibility_check_record
from tests.enrolments import conftest as enrolment_fixtures
from tests.factories import ProgrammeFactory, SessionFactory
from tests.promotions import test_eligibility as eligibility_tests
from tests.promotions.test_eligibility import AS_OF, LAST_FOUR, rate, train

# Fixtures of the enrolments and promotions tests, shared rather than copied.
make_servant = enrolment_fixtures.make_servant
past_session = enrolment_fixtures.past_session
rules = eligibility_tests.rules

MONTHS_RU_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
KK_SEAT_FREED = "Орын босады (қатысушы оқуға жазылудан бас тартты)."
RU_SEAT_FREED = "Освободилось место (участник отозвал запись)."


def reads_in(user, language: str):
    """The back office follows the user's Wagtail language."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def message_in(language: str, entry) -> str:
    """The entry's message as a reader in `language` sees it (a fresh read: Wagtail caches
    the message on the instance)."""
    with translation.override(language):
        return type(entry).objects.get(pk=entry.pk).message


@pytest.fixture
def retraining_session(db, today):
    programme = ProgrammeFactory(kind="retraining", academic_hours=120)
    return SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=40),
        capacity=1,
    )


@pytest.mark.django_db
def test_a_promotion_made_in_russian_reads_in_kazakh(
    client, retraining_session, make_servant, superuser, today
):
    holder = make_servant(first_appointed_on=today - datetime.timedelta(days=4000))
    newcomer = make_servant(first_appointed_on=today - datetime.timedelta(days=30))
    with translation.override("ru"):
        held = enrolment_request(servant=holder, session=retraining_session, actor=holder.user)
        waiting = enrolment_request(
            servant=newcomer, session=retraining_session, actor=newcomer.user
        )
    assert waiting.status == EnrolmentStatus.WAITLISTED
    # Stored as data, in no language.
    assert waiting.priority_basis["code"] == "retraining_due" and waiting.priority_reason == ""

    # My learning words the priority in the page's language.
    client.force_login(newcomer.user)
    kk_page = client.get("/kk/my/").content.decode()
    ru_page = client.get("/ru/my/").content.decode()
    # Its dates as each language writes them: kk 01.03.2027, ru «1 марта 2027 г.».
    appointed = newcomer.first_appointed_on
    assert f"(алғаш тағайындалған күні: {appointed:%d.%m.%Y})" in kk_page
    assert "Переподготовку необходимо пройти до" not in kk_page
    month = MONTHS_RU_GENITIVE[appointed.month - 1]
    assert f"(дата первого назначения: {appointed.day} {month} {appointed.year} г.)" in ru_page
    assert appointed.isoformat() not in kk_page + ru_page

    with translation.override("ru"):
        enrolment_withdraw(enrolment=held, actor=holder.user)
    entry = ModelLogEntry.objects.get(action="enrolments.enrolment.promoted")
    assert "reason" not in entry.data and entry.data["freed_by"] == {"code": "withdrew"}
    kazakh, russian = message_in("kk", entry), message_in("ru", entry)
    assert kazakh.startswith("Күту тізімінен бос орынға ауыстырылды: " + KK_SEAT_FREED)
    assert f"Күту тізімінде бірінші орында – {newcomer.full_name}: " in kazakh
    assert "әлі де күтуде: 0 адам." in kazakh and "Освободилось" not in kazakh
    # The moment of the request in the region's time (Oral, UTC+5), to the second.
    requested = waiting.requested_at.astimezone(ZoneInfo("Asia/Oral"))
    assert f"{requested:%d.%m.%Y %H:%M:%S}" in kazakh
    month = MONTHS_RU_GENITIVE[requested.month - 1]
    assert f"{requested.day} {month} {requested.year} г. {requested:%H:%M:%S}" in russian
    assert russian.startswith("Переведён из листа ожидания на свободное место: " + RU_SEAT_FREED)

    # The Site history report, read by a Kazakh-speaking administrator.
    client.force_login(reads_in(superuser, "kk"))
    report = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert KK_SEAT_FREED in report and RU_SEAT_FREED not in report


@pytest.mark.django_db
def test_an_eligibility_check_run_in_russian_reads_in_kazakh(client, rules, hr_officer_a, agency_a):
    from tests.factories import PositionFactory, ServantFactory

    position = PositionFactory(agency=agency_a, category="C-O-4")
    servant = ServantFactory(
        agency=agency_a, position=position, first_appointed_on=datetime.date(2015, 1, 10)
    )
    rate(servant, LAST_FOUR)
    train(servant, 16, datetime.date(2024, 3, 31))
    with translation.override("ru"):
        check = eligibility_check_record(
            servant=servant, target_category="C-O-4", as_of=AS_OF, actor=hr_officer_a
        )
    hours = next(c for c in check.result["criteria"] if c["code"] == "training_hours")
    assert "explanation" not in hours and "gap" not in hours  # codes and figures only
    assert hours["basis"] == {
        "code": "hours_short",
        "hours": 16,
        "start": "2023-11-27",
        "required": 40,
    }

    check = EligibilityCheck.objects.get(pk=check.pk)
    with translation.override("kk"):
        kazakh = {c["code"]: c for c in check.explained_criteria()}
    with translation.override("ru"):
        russian = {c["code"]: c for c in check.explained_criteria()}
    assert kazakh["training_hours"]["explanation"] == (
        "27.11.2023 бастап біліктілікті арттыру бойынша 16 академиялық сағат; "
        "40 академиялық сағат талап етіледі."
    )
    assert kazakh["training_hours"]["gap"] == (
        "31.03.2027 дейін біліктілікті арттыру бойынша тағы 24 академиялық сағаттан өту қажет."
    )
    assert kazakh["ratings"]["explanation"] == (
        "Соңғы 4 тоқсанның әрқайсысында тиімді деп бағаланды (2025 ж. 4-тоқсан – 2026 ж. 3-тоқсан)."
    )
    assert russian["training_hours"]["explanation"] == (
        "Количество академических часов повышения квалификации начиная с 27.11.2023: 16; "
        "требуется: 40."
    )

    # Its history entry: the verdict and the criteria not met, worded when read.
    entry = ModelLogEntry.objects.get(action="promotions.check.run")
    assert entry.data["unmet"] == ["training_hours"]
    assert message_in("kk", entry) == (
        "Талаптарға сәйкестік тексерілді: құқығы жоқ; орындалмаған өлшемшарттар: оқу сағаттары"
    )
    assert message_in("ru", entry) == (
        "Выполнена проверка соответствия требованиям: не имеет права; не выполнены "
        "критерии: часы обучения"
    )


@pytest.mark.django_db
def test_a_check_stored_with_sentences_still_shows_them(rules, servant_of_a):
    stored = {
        "criteria": [
            {
                "code": "training_hours",
                "met": False,
                "explanation": "16 академических часов с 2023-11-27; требуется 40.",
                "evidence": [],
                "gap": "Ещё 24 академических часа до 2027-03-31.",
            }
        ]
    }
    check = EligibilityCheck.objects.create(
        servant=servant_of_a,
        target_category="C-O-4",
        as_of=AS_OF,
        rule_set=rules,
        eligible=False,
        result=stored,
    )
    with translation.override("kk"):
        (criterion,) = check.explained_criteria()
    assert criterion["explanation"] == "16 академических часов с 2023-11-27; требуется 40."
    assert criterion["gap"] == "Ещё 24 академических часа до 2027-03-31."
    assert criterion["label"] == "Оқу сағаттары"


@pytest.mark.django_db
def test_a_withdrawn_record_entry_made_in_russian_reads_in_kazakh(
    past_session, make_servant, academy_manager
):
    enrolment = Enrolment.objects.create(
        servant=make_servant(),
        session=past_session,
        status=EnrolmentStatus.ENROLLED,
        requested_at=past_session.updated_at,
    )
    with translation.override("ru"):
        enrolment_record_result(
            enrolment=enrolment, attended_hours=40, passed=True, actor=academy_manager
        )
        enrolment_record_result(
            enrolment=enrolment, attended_hours=40, passed=False, actor=academy_manager
        )
    record = QualificationRecord.objects.get(enrolment=enrolment)
    assert record.correction_reason == ""
    assert record.correction_basis == {"code": "result_changed", "status": "failed"}
    entry = ModelLogEntry.objects.get(action="enrolments.record.withdrawn")
    with translation.override("kk"):
        assert record.get_correction_reason_display() == (
            "Нәтиже өзгертілді: аттестаттаудан өтпеді."
        )
    assert message_in("kk", entry) == (
        "Біліктілік туралы жазбаның күші жойылды: Нәтиже өзгертілді: аттестаттаудан өтпеді."
    )
    assert message_in("ru", entry) == (
        "Запись о квалификации аннулирована: Результат изменён: аттестация не пройдена."
    )
