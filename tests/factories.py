import datetime
import random

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core import authorization as roles
from core.iin import make_bin, make_iin
from courses.models import Programme, ProgrammeFormat, ProgrammeKind, Session, SessionLanguage
from people.models import Agency, CivilServant, HROfficer, PerformanceRating, Position

_rng = random.Random(7)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    bin = factory.LazyFunction(lambda: make_bin(_rng))
    code = factory.Sequence(lambda n: f"agency-{n}")
    name_kk = factory.Sequence(lambda n: f"Мемлекеттік орган {n}")
    name_ru = factory.Sequence(lambda n: f"Государственный орган {n}")
    name_en = factory.Sequence(lambda n: f"State body {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.SubFactory(AgencyFactory)
    title_kk = "Бас маман"
    title_ru = factory.Sequence(lambda n: f"Главный специалист {n}")
    title_en = "Chief specialist"
    category = "C-O-5"


class ServantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CivilServant

    iin = factory.LazyFunction(lambda: make_iin(_rng))
    last_name = factory.Iterator(["Ахметов", "Жұмабаева", "Қасымов", "Оспанова"])
    first_name = factory.Iterator(["Ерлан", "Айгүл", "Асқар", "Динара"])
    middle_name = "Серікұлы"
    email = factory.Sequence(lambda n: f"servant{n}@example.kz")
    agency = factory.SubFactory(AgencyFactory)
    position = factory.SubFactory(PositionFactory, agency=factory.SelfAttribute("..agency"))
    appointed_on = datetime.date(2020, 1, 15)
    first_appointed_on = datetime.date(2015, 3, 1)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceRating

    servant = factory.SubFactory(ServantFactory)
    year = 2026
    quarter = 1
    rating = "effective"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    title_kk = factory.Sequence(lambda n: f"Сыбайлас жемқорлыққа қарсы іс-қимыл {n}")
    title_ru = factory.Sequence(lambda n: f"Противодействие коррупции {n}")
    title_en = factory.Sequence(lambda n: f"Anti-corruption {n}")
    summary_ru = "Курс для государственных служащих."
    kind = ProgrammeKind.QUALIFICATION_UPGRADE
    academic_hours = 36
    format = ProgrammeFormat.IN_PERSON
    live = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + datetime.timedelta(days=4))
    language = SessionLanguage.KAZAKH
    capacity = 20
    location_ru = "г. Уральск, филиал Академии"


def hr_officer_for(*agencies, username=None):
    user = UserFactory(username=username or f"hr-{agencies[0].code}", role=roles.HR_OFFICERS)
    officer = HROfficer.objects.create(user=user)
    officer.agencies.add(*agencies)
    return user
