"""Figures read the way each language writes them: quarters, percentages, decimals, the
training-hours sentence and plurals, in Kazakh, Russian and English."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core import authorization as roles
from core.dates import add_years, quarter_label
from core.formats import decimal, percent
from enrolments.models import QualificationRecord
from promotions.models import Competition
from tests.factories import AgencyFactory, ServantFactory, UserFactory

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "2026 ж. 3-тоқсан"), ("ru", "3 квартал 2026 г."), ("en", "Q3 2026")],
)
def test_a_quarter_is_written_the_languages_way(language, expected):
    with translation.override(language):
        assert quarter_label((2026, 3)) == expected
        rendered = Template("{% load figures %}{{ q|quarter }}").render(Context({"q": (2026, 3)}))
        assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", f"73,8{NBSP}%"), ("ru", f"73,8{NBSP}%"), ("en", "73.8%")],
)
def test_a_percentage_has_the_languages_comma_and_sign(language, expected):
    with translation.override(language):
        assert percent(73.8) == expected
        assert Template("{% load figures %}{{ v|percent }}").render(Context({"v": 73.8})) == (
            expected
        )
        assert percent(None) == "—"


def test_decimals_use_the_languages_separator():
    with translation.override("kk"):
        assert decimal(1250.5) == "1250,5" and decimal(60.0) == "60"
    with translation.override("ru"):
        assert decimal(2.25, 2) == "2,25"
    with translation.override("en"):
        assert decimal(2.25, 2) == "2.25"


def test_russian_plurals_follow_the_number():
    msgid = "%(missing)s more academic hour of qualification upgrade before %(date)s."
    plural = "%(missing)s more academic hours of qualification upgrade before %(date)s."
    with translation.override("ru"):
        words = {
            n: ngettext(msgid, plural, n) % {"missing": n, "date": "2027-03-31"}
            for n in (1, 2, 5, 21)
        }
    assert "не менее 1 академического часа." in words[1]
    assert "не менее 2 академических часов." in words[2]
    assert "не менее 5 академических часов." in words[5]
    assert "не менее 21 академического часа." in words[21]


def servant_trained(hours: list[int]):
    servant = ServantFactory(agency=AgencyFactory())
    servant.user = UserFactory(username=f"s-{servant.iin}", role=roles.CIVIL_SERVANTS)
    servant.save(update_fields=["user"])
    today = timezone.localdate()
    for years_ago, h in enumerate(hours, start=1):
        day = add_years(today, -years_ago) + datetime.timedelta(days=10)
        QualificationRecord.objects.create(
            servant=servant,
            title=f"Course {h}",
            kind="upgrade",
            provider="Academy",
            hours=h,
            completed_on=day,
            valid_until=day + datetime.timedelta(days=1095),
            source="import",
        )
    return servant


def my_learning(client, servant, language):
    client.force_login(servant.user)
    return client.get(f"/{language}/my/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "kk", "ru"),
    [
        (
            [80, 40],
            "36 академиялық сағат талабы асыра орындалды:",
            "Требование 36 академических часов выполнено с превышением: 120 ч",
        ),
        (
            [36],
            "36 академиялық сағат талабы орындалды:",
            "Требование 36 академических часов выполнено: 36 ч",
        ),
        (
            [20],
            "36 академиялық сағат талабы орындалмады:",
            "Требование 36 академических часов не выполнено: 20 ч",
        ),
    ],
)
def test_the_hours_requirement_is_one_sentence_in_kazakh_and_russian(client, hours, kk, ru):
    servant = servant_trained(hours)
    total = sum(hours)
    page = my_learning(client, servant, "kk")
    assert kk in page and f"бойынша {total} сағат" in page
    assert f"{total} of 36" not in page and "академиялық сағаттың" not in page
    page = my_learning(client, servant, "ru")
    assert ru in page and f"{total} из 36" not in page
    if total < 36:
        assert f"тағы {36 - total} сағат қажет" in my_learning(client, servant, "kk")
        assert f"необходимо ещё {36 - total} ч." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("kk", f"75{NBSP}%"), ("ru", f"75{NBSP}%"), ("en", "75%")]
)
def test_the_meritocracy_dashboard_writes_the_level_the_languages_way(
    client, superuser, language, expected
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = language
    profile.save()
    agency = AgencyFactory()
    for n, outcome in enumerate(["promoted"] * 3 + ["appointed"]):
        Competition.objects.create(
            agency=agency,
            position_title=f"Position {n}",
            category="C-O-4",
            held_on=datetime.date(2024, 5, 1),
            kind="general",
            outcome=outcome,
        )
    client.force_login(superuser)
    body = client.get(
        reverse("promotions_dashboard"), {"start": "2024-01-01", "end": "2024-09-30"}
    ).content.decode()
    assert f"<strong>{expected}</strong>" in body
