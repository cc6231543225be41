"""Idempotent demo data: run it as often as you like; the second run changes nothing new."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from cms import roles
from cms.demo import data
from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from core.dates import last_complete_quarters
from core.iin import make_bin, make_iin
from core.models import BranchSettings
from courses.models import (
    Programme,
    ProgrammeFormat,
    ProgrammeKind,
    Session,
    SessionLanguage,
    SessionStatus,
)
from people.models import Agency, CivilServant, HROfficer, PerformanceRating, Position, Rating

DEMO_PASSWORD = "biliktilik-demo"
SERVANT_COUNT = 200


class Command(BaseCommand):
    help = "Create demo data for the region and a login for each role (idempotent)."

    def handle(self, *args, **options):
        rng = random.Random(2026)
        today = timezone.localdate()
        # Demo data must never e-mail anyone, whatever the mail settings are. Its background
        # tasks (notifications, Wagtail's indexes) run here and now: with the database task
        # backend of production they would otherwise reach a worker with the real mailer.
        no_mail = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
        now = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
        with override_settings(MAILERS=no_mail, TASKS=now), transaction.atomic():
            roles.roles_sync()
            agencies = self.seed_agencies(rng)
            positions = self.seed_positions(agencies)
            servants = self.seed_servants(rng, agencies, positions, today)
            self.seed_ratings(rng, servants, today)
            programmes = self.seed_programmes()
            self.seed_sessions(rng, programmes, today)
            logins = self.seed_logins(agencies, servants)
            self.seed_site()
            self.seed_extra(rng=rng, today=today, servants=servants)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in logins:
            self.stdout.write(f"  {username:<18} {role}")

    def seed_extra(self, **kwargs):
        """Later parts (enrolments, certificates, competitions) add their demo data here."""
        from django.utils.module_loading import import_string

        for path in (
            "enrolments.demo.seed",
            "promotions.demo.seed",
            "nominations.demo.seed",
            "nominations.demo_assignments.seed",
            "cms.demo.notifications.seed",
            "plans.demo.seed",
        ):
            try:
                seed = import_string(path)
            except ImportError:
                continue
            seed(stdout=self.stdout, **kwargs)

    # -- people -----------------------------------------------------------------------

    def seed_agencies(self, rng):
        agencies = []
        for code, kk, ru, en, _prefix in data.AGENCIES:
            bin_ = make_bin(rng)  # drawn on every run so the random stream stays the same
            agency, _ = Agency.objects.update_or_create(
                code=code,
                defaults={"name_kk": kk, "name_ru": ru, "name_en": en},
                create_defaults={"bin": bin_, "name_kk": kk, "name_ru": ru, "name_en": en},
            )
            agencies.append(agency)
        return agencies

    def seed_positions(self, agencies):
        prefixes = {code: prefix for code, *_rest, prefix in data.AGENCIES}
        positions = {}
        for agency in agencies:
            prefix = prefixes[agency.code]
            for level, kk, ru, en in data.POSITIONS:
                category = f"{prefix}-{min(level, 4 if prefix == 'E-G' else 5)}"
                position, _ = Position.objects.get_or_create(
                    agency=agency,
                    title_ru=ru,
                    category=category,
                    defaults={"title_kk": kk, "title_en": en},
                )
                positions.setdefault(agency.pk, []).append(position)
        return positions

    def seed_servants(self, rng, agencies, positions, today):
        servants = []
        for index in range(SERVANT_COUNT):
            female = index % 2 == 1
            iin = make_iin(rng, female=female)
            surname = rng.choice(data.SURNAMES)
            last_name = (
                surname + "а" if female and surname.endswith(("ов", "ев", "ин")) else surname
            )
            first_name = rng.choice(data.FEMALE_FIRST if female else data.MALE_FIRST)
            middle_name = rng.choice(data.FATHERS) + ("қызы" if female else "ұлы")
            agency = agencies[index % len(agencies)]
            # Many specialists, few heads.
            position = rng.choices(positions[agency.pk], weights=[1, 2, 4, 8, 8])[0]
            years_in = rng.randrange(0, 20)
            appointed = today - datetime.timedelta(days=rng.randrange(30, 365 * 5))
            first_appointed = today - datetime.timedelta(
                days=years_in * 365 + rng.randrange(1, 300)
            )
            if index < 6:  # a few newcomers, for whom retraining is due
                first_appointed = appointed = today - datetime.timedelta(days=30 + index * 20)
            latin = f"demo{index:03d}"
            servant, _ = CivilServant.objects.update_or_create(
                iin=iin,
                defaults={
                    "last_name": last_name,
                    "first_name": first_name,
                    "middle_name": middle_name,
                    "email": f"{latin}@example.kz",
                    "preferred_language": rng.choice(["kk", "kk", "ru"]),
                    "agency": agency,
                    "position": position,
                    "appointed_on": appointed,
                    "first_appointed_on": min(first_appointed, appointed),
                },
            )
            servants.append(servant)
        return servants

    def seed_ratings(self, rng, servants, today):
        quarters = last_complete_quarters(today, 8)
        existing = set(
            PerformanceRating.objects.filter(servant__in=servants).values_list(
                "servant_id", "year", "quarter"
            )
        )
        new = []
        for servant in servants:
            # Some people are rated effective throughout; others have a weaker quarter.
            steady = rng.random() < 0.35
            for year, quarter in quarters:
                if steady:
                    rating = Rating.EFFECTIVE
                else:
                    rating = rng.choices(
                        [
                            Rating.EFFECTIVE,
                            Rating.PROPER,
                            Rating.SATISFACTORY,
                            Rating.UNSATISFACTORY,
                        ],
                        weights=[55, 35, 8, 2],
                    )[0]
                if (servant.pk, year, quarter) not in existing:
                    new.append(
                        PerformanceRating(
                            servant=servant, year=year, quarter=quarter, rating=rating
                        )
                    )
        PerformanceRating.objects.bulk_create(new)

    # -- programmes -------------------------------------------------------------------

    def seed_programmes(self):
        specs = []
        audiences = ["", "C-O-*, D-O-*", "", "E-R-*, E-G-*", "C-O-1, C-O-2, C-O-3, D-O-*", ""]
        for index, (stem, kk, ru, en) in enumerate(data.TOPICS):
            specs.append(
                dict(
                    code=f"{stem}-S",
                    title_kk=f"{kk} (семинар)",
                    title_ru=f"{ru} (семинар)",
                    title_en=f"{en} (seminar)",
                    kind=ProgrammeKind.SEMINAR,
                    academic_hours=8 if index % 2 else 16,
                    format=ProgrammeFormat.ONLINE if index % 3 == 0 else ProgrammeFormat.IN_PERSON,
                    audience="",
                    summary_kk=f"Бір күндік семинар: {kk.lower()}.",
                    summary_ru=f"Однодневный семинар: {ru.lower()}.",
                    summary_en=f"A one-day seminar: {en.lower()}.",
                    description=data.seminar_description(kk, ru, en),
                )
            )
            specs.append(
                dict(
                    code=f"{stem}-C",
                    title_kk=kk,
                    title_ru=ru,
                    title_en=en,
                    kind=ProgrammeKind.QUALIFICATION_UPGRADE,
                    academic_hours=[36, 40, 72, 24][index % 4],
                    format=[ProgrammeFormat.IN_PERSON, ProgrammeFormat.BLENDED][index % 2],
                    audience=audiences[index % len(audiences)],
                    requires_approval=index % 5 == 0,
                    summary_kk=f"Біліктілікті арттыру курсы: {kk.lower()}.",
                    summary_ru=f"Курс повышения квалификации: {ru.lower()}.",
                    summary_en=f"Qualification upgrade course: {en.lower()}.",
                    description=data.course_description(kk, ru, en),
                )
            )
        for code, kk, ru, en in data.RETRAINING:
            specs.append(
                dict(
                    code=code,
                    title_kk=kk,
                    title_ru=ru,
                    title_en=en,
                    kind=ProgrammeKind.RETRAINING,
                    academic_hours=120,
                    format=ProgrammeFormat.BLENDED,
                    audience="",
                    requires_approval=True,
                    summary_kk="Алғаш тағайындалғаннан кейін 6 ай ішінде өтетін қайта даярлау.",
                    summary_ru="Переподготовка в течение 6 месяцев после первого назначения.",
                    summary_en="Retraining due within 6 months of a first appointment.",
                    description=data.RETRAINING_DESCRIPTION,
                )
            )
        programmes = []
        for spec in specs:
            code = spec.pop("code")
            description = spec.pop("description")
            programme = Programme.objects.filter(code=code).first()
            if programme is None:
                programme = Programme(code=code, **spec, **description)
                programme.save()
                programme.save_revision().publish()
            programmes.append(programme)
        return programmes

    def seed_sessions(self, rng, programmes, today):
        if Session.objects.exists():
            return
        for index, programme in enumerate(programmes):
            # One past session, one with enrolment open now, one opening later.
            offsets = [-60 - index, 12 + index % 15, 50 + index]
            for offset in offsets:
                start = today + datetime.timedelta(days=offset)
                length = max(1, programme.academic_hours // 8)
                location = data.LOCATIONS[
                    2 if programme.format == ProgrammeFormat.ONLINE else index % 2
                ]
                Session.objects.create(
                    programme=programme,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=length - 1),
                    location_kk=location[0],
                    location_ru=location[1],
                    location_en=location[2],
                    language=[
                        SessionLanguage.KAZAKH,
                        SessionLanguage.RUSSIAN,
                        SessionLanguage.BOTH,
                    ][index % 3],
                    capacity=[20, 25, 15, 30][index % 4],
                    status=SessionStatus.FINISHED if offset < 0 else SessionStatus.SCHEDULED,
                )

    # -- logins -----------------------------------------------------------------------

    def _user(self, username, *, first_name="", last_name="", superuser=False, group=None):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.kz",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        if group != roles.CIVIL_SERVANTS:
            # Staff read the back office in Kazakh (locale_backoffice/ completes Wagtail's and
            # Django's catalogs); Russian and English are one choice away in their account.
            profile = UserProfile.get_for_user(user)
            if not profile.preferred_language:
                profile.preferred_language = "kk"
                profile.save(update_fields=["preferred_language"])
        return user

    def seed_logins(self, agencies, servants):
        logins = []
        self._user("admin", first_name="Әкімші", superuser=True)
        logins.append(("admin", "superuser"))
        self._user(
            "manager", first_name="Сәуле", last_name="Академиялық", group=roles.ACADEMY_MANAGERS
        )
        logins.append(("manager", "academy manager"))
        officers = (
            ("hr.akimat", agencies[0], "Гүлнар", "Сапарова"),
            ("hr.oral", agencies[1], "Асқар", "Ермеков"),
        )
        for username, agency, first_name, last_name in officers:
            user = self._user(
                username, first_name=first_name, last_name=last_name, group=roles.HR_OFFICERS
            )
            officer, _ = HROfficer.objects.get_or_create(user=user)
            officer.agencies.add(agency)
            logins.append((username, f"HR officer of {agency.name_en}"))
        self._user("auditor", first_name="Аудитор", group=roles.AUDITORS)
        logins.append(("auditor", "auditor (read-only)"))
        for username, servant in (("servant", servants[0]), ("servant2", servants[2])):
            user = self._user(
                username,
                first_name=servant.first_name,
                last_name=servant.last_name,
                group=roles.CIVIL_SERVANTS,
            )
            if servant.user_id != user.pk:
                CivilServant.objects.filter(user=user).update(user=None)
                servant.user = user
                servant.save(update_fields=["user"])
            logins.append((username, f"civil servant {servant.full_name} ({servant.agency.code})"))
        return logins

    # -- site -------------------------------------------------------------------------

    def seed_site(self):
        locales = {
            code: Locale.objects.get_or_create(language_code=code)[0] for code in ("kk", "ru", "en")
        }
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=locales["kk"]).first()
        if home is None:
            home = HomePage(
                title="Біліктілік: оқу және біліктілік тізілімі",
                slug="biliktilik",
                locale=locales["kk"],
                intro="Мемлекеттік басқару академиясының Батыс Қазақстан облысы бойынша филиалы: "
                "біліктілікті арттыру, қайта даярлау және семинарлар.",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True, site_name="Biliktilik"
            )
        elif site.root_page_id != home.pk:
            old_root = site.root_page
            site.root_page = home
            site.site_name = "Biliktilik"
            site.save()
            if not isinstance(old_root.specific, HomePage):
                old_root.delete()

        texts = {
            "ru": (
                "Біліктілік: реестр обучения и квалификации",
                "Филиал Академии государственного управления по Западно-Казахстанской области: "
                "повышение квалификации, переподготовка и семинары.",
            ),
            "en": (
                "Biliktilik: training and qualification registry",
                "The West Kazakhstan branch of the Academy of Public Administration: "
                "qualification upgrade, retraining and seminars.",
            ),
        }
        homes = {"kk": home}
        for code, (title, intro) in texts.items():
            translated = home.get_translation_or_none(locales[code])
            if translated is None:
                translated = home.copy_for_translation(locales[code])
                translated.title, translated.intro = title, intro
                translated.save_revision().publish()
            homes[code] = translated.specific

        news_titles = {"kk": "Жаңалықтар", "ru": "Новости", "en": "News"}
        about = {
            "kk": ("Филиал туралы", "<p>Филиал облыстың мемлекеттік қызметшілерін оқытады.</p>"),
            "ru": ("О филиале", "<p>Филиал обучает государственных служащих области.</p>"),
            "en": ("About the branch", "<p>The branch trains the region's civil servants.</p>"),
        }
        lang_index = {"kk": 0, "ru": 1, "en": 2}
        for code, parent in homes.items():
            index = NewsIndexPage.objects.child_of(parent).first()
            if index is None:
                index = NewsIndexPage(title=news_titles[code], slug="news", locale=locales[code])
                parent.add_child(instance=index)
                index.save_revision().publish()
            for number, article in enumerate(data.NEWS):
                slug = f"news-{number + 1}"
                if NewsPage.objects.child_of(index).filter(slug=slug).exists():
                    continue
                page = NewsPage(
                    title=article[lang_index[code]],
                    intro=article[3 + lang_index[code]],
                    body=f"<p>{article[3 + lang_index[code]]}</p>",
                    slug=slug,
                    date=timezone.localdate() - datetime.timedelta(days=number * 9),
                    locale=locales[code],
                )
                index.add_child(instance=page)
                page.save_revision().publish()
            if not StandardPage.objects.child_of(parent).filter(slug="about").exists():
                page = StandardPage(
                    title=about[code][0],
                    body=about[code][1],
                    slug="about",
                    locale=locales[code],
                    show_in_menus=True,  # the header's menu lists it
                )
                parent.add_child(instance=page)
                page.save_revision().publish()

        branch = BranchSettings.for_site(site)
        if not branch.name_kk:
            branch.name_kk = (
                "Мемлекеттік басқару академиясының Батыс Қазақстан облысы бойынша филиалы"
            )
            branch.name_ru = (
                "Филиал Академии государственного управления по Западно-Казахстанской области"
            )
            branch.name_en = "West Kazakhstan branch of the Academy of Public Administration"
            branch.address_kk = "Орал қ., Достық даңғылы, 1"
            branch.address_ru = "г. Уральск, проспект Достык, 1"
            branch.address_en = "1 Dostyk Avenue, Oral"
            branch.phone = "+7 7112 00-00-00"
            branch.email = "zko@academy.example.kz"
            branch.signatory_name = "А. Б. Сейітқали"
            branch.signatory_title_kk = "Филиал директоры"
            branch.signatory_title_ru = "Директор филиала"
            branch.save()
