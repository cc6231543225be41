"""National-scale data (`manage.py generate_scale_data`): agencies, positions, civil servants,
programmes, sessions, enrolments, ratings, qualification records, certificates, competitions.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same seed and
as-of date give the same rows. Rows are written with COPY on PostgreSQL (psycopg's
`cursor.copy`) and with `bulk_create` in batches elsewhere (SQLite, small N). Primary keys
are assigned here (after the tables' current maximum) so related rows can be written
without reading ids back; PostgreSQL's sequences are moved past them at the end.

Ratios per 100,000 servants: 200 agencies, ~1,600 positions, 2,000 programmes, 20,000
sessions, ~1,000,000 enrolments, 800,000 ratings (8 quarters), ~1,000,000 qualification
records (one per completed enrolment plus imported ones), ~500,000 certificates and
1,000 competitions.
"""

import base64
import datetime
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from certificates.models import Certificate, SerialCounter
from certificates.services import format_serial
from core import authorization as roles
from core.dates import add_years
from core.iin import make_bin, make_iin
from core.validators import mask_iin
from courses.models import Programme, Session, SessionStatus
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from people.categories import CATEGORY_CODES, parse_audience
from people.models import Agency, CivilServant, HROfficer, PerformanceRating, Position
from promotions.models import Competition, QualificationRequirement, RuleSet

SERVANTS_PER_AGENCY = 500
SERVANTS_PER_PROGRAMME = 50
SESSIONS_PER_PROGRAMME = 10
ENROLMENTS_PER_SERVANT = 10  # on average: 4..16
IMPORTED_RECORDS_PER_SERVANT = 3  # on average: 0..6, records from before the system
SERVANTS_PER_COMPETITION = 100
QUARTERS = 8
CERTIFICATE_YEARS = 3  # certificates for completions of the last 3 years (the system's age)
SERIAL_PREFIX = "ZKO"
DEMO_PASSWORD = "scale-demo"  # noqa: S105 - a published demo password for benchmarks

# Weighted status mixes: sessions that have ended, and sessions still to come.
PAST_STATUSES = (
    (EnrolmentStatus.COMPLETED, 78),
    (EnrolmentStatus.FAILED, 4),
    (EnrolmentStatus.NO_SHOW, 4),
    (EnrolmentStatus.WITHDRAWN, 6),
    (EnrolmentStatus.CANCELLED, 4),
    (EnrolmentStatus.REJECTED, 4),
)
UPCOMING_STATUSES = (
    (EnrolmentStatus.ENROLLED, 65),
    (EnrolmentStatus.WAITLISTED, 12),
    (EnrolmentStatus.PENDING_APPROVAL, 10),
    (EnrolmentStatus.WITHDRAWN, 8),
    (EnrolmentStatus.CANCELLED, 3),
    (EnrolmentStatus.REJECTED, 2),
)
RATINGS = (("effective", 55), ("proper", 30), ("satisfactory", 12), ("unsatisfactory", 3))

AGENCY_KINDS = (  # kk, ru, en
    ("әкімдігі", "акимат", "akimat"),
    ("басқармасы", "управление", "department"),
    ("департаменті", "департамент", "territorial department"),
    ("инспекциясы", "инспекция", "inspectorate"),
)
PLACES = (  # kk, ru, en
    ("Орал қаласының", "города Уральска", "Oral city"),
    ("Ақжайық ауданының", "Акжаикского района", "Akzhaik district"),
    ("Бәйтерек ауданының", "Байтерекского района", "Baiterek district"),
    ("Бөрлі ауданының", "Бурлинского района", "Burli district"),
    ("Бөкейорда ауданының", "Бокейординского района", "Bokeyorda district"),
    ("Жаңақала ауданының", "Жангалинского района", "Zhangala district"),
    ("Жәнібек ауданының", "Жанибекского района", "Zhanibek district"),
    ("Казталов ауданының", "Казталовского района", "Kaztalov district"),
    ("Қаратөбе ауданының", "Каратобинского района", "Karatobe district"),
    ("Сырым ауданының", "Сырымского района", "Syrym district"),
    ("Тасқала ауданының", "Таскалинского района", "Taskala district"),
    ("Теректі ауданының", "Теректинского района", "Terekti district"),
    ("Шыңғырлау ауданының", "Чингирлауского района", "Shyngyrlau district"),
    ("облыстың", "области", "regional"),
)
POSITION_TITLES = (  # kk, ru, en
    ("Бас маман", "Главный специалист", "Chief specialist"),
    ("Жетекші маман", "Ведущий специалист", "Leading specialist"),
    ("Бөлім басшысы", "Руководитель отдела", "Head of unit"),
    ("Басшының орынбасары", "Заместитель руководителя", "Deputy head"),
)
SURNAMES = (
    "Ахметов", "Бекова", "Жұмабаев", "Иванова", "Қасымов", "Нұрланова", "Омаров", "Петрова",
    "Сейітов", "Тоқтарова", "Утегенов", "Хасенова", "Шарипов", "Ким", "Әбілов", "Серікова",
)  # fmt: skip
GIVEN_NAMES = (
    "Асель", "Бауыржан", "Гүлнара", "Дамир", "Ерлан", "Жанна", "Ирина", "Қанат", "Марат",
    "Нұргүл", "Олжас", "Сергей", "Салтанат", "Тимур", "Әсем", "Айдос",
)  # fmt: skip
PATRONYMICS = ("Болатұлы", "Серікқызы", "Ивановна", "Маратович", "Ержанқызы", "")
TOPICS = (  # kk, ru, en
    ("Сыбайлас жемқорлыққа қарсы іс-қимыл", "Противодействие коррупции", "Anti-corruption"),
    ("Мемлекеттік қызмет этикасы", "Этика государственной службы", "Civil-service ethics"),
    ("Мемлекеттік қызметтер көрсету", "Оказание государственных услуг", "Public services"),
    ("Цифрлық дағдылар", "Цифровые навыки", "Digital skills"),
    ("Мемлекеттік тілде іс жүргізу", "Делопроизводство на государственном языке",
     "Records in the state language"),
    ("Басқару және көшбасшылық", "Управление и лидерство", "Management and leadership"),
    ("Азаматтармен жұмыс", "Работа с обращениями граждан", "Work with citizens' appeals"),
    ("Заңнамадағы өзгерістер", "Изменения в законодательстве", "Changes in legislation"),
)  # fmt: skip
KINDS = (("upgrade", 60), ("seminar", 30), ("retraining", 10))
HOURS = {"upgrade": (16, 24, 40, 72, 80), "seminar": (8, 12, 16), "retraining": (120, 160, 240)}
FORMATS = ("in_person", "online", "blended")
AUDIENCES = ("", "", "C-O-*", "C-R-*, E-R-*", "D-*", "E-*", "C-*, D-*", "A-*, B-*")
LOCATIONS = (("Орал", "Уральск", "Oral"), ("Онлайн", "Онлайн", "Online"))
PROVIDERS = ("Академия государственного управления", "Филиал Академии по ЗКО", "НАО «Talap»")
BRANCH = ("Мемлекеттік басқару академиясының БҚО бойынша филиалы", "Филиал Академии по ЗКО")


def three_years_on(day: datetime.date) -> datetime.date:
    return day.replace(day=min(day.day, 28), year=day.year + 3)


def weighted(rng: random.Random, table) -> Callable[[], str]:
    values = [value for value, _weight in table]
    weights = [weight for _value, weight in table]
    cumulative = []
    total = 0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def draw() -> str:
        return rng.choices(values, cum_weights=cumulative)[0]

    return draw


# -- writing ----------------------------------------------------------------------------


class TableWriter:
    """Writes rows (dicts of field name → value, keyed by attname for foreign keys) of one
    model: COPY on PostgreSQL, bulk_create in batches elsewhere. Unset fields get their
    default (or now() for auto_now fields)."""

    def __init__(self, model: type[models.Model], names: Iterable[str], now: datetime.datetime):
        self.model = model
        self.names = tuple(names)
        self.fields = list(model._meta.concrete_fields)
        fixed: dict[str, object] = {}
        for f in self.fields:
            if f.attname in self.names:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fixed[f.attname] = now
            elif f.has_default() and not callable(f.default):
                fixed[f.attname] = f.default
            elif isinstance(f, models.JSONField) and f.has_default():
                # An empty JSON default ({}): JSON text for COPY, the value for bulk_create.
                default = f.get_default()
                fixed[f.attname] = (
                    json.dumps(default) if connection.vendor == "postgresql" else default
                )
            elif f.null:
                fixed[f.attname] = None
            elif f.has_default():
                raise ValueError(f"{model.__name__}.{f.name}: give a value (callable default)")
            elif isinstance(f, (models.CharField, models.TextField)):
                fixed[f.attname] = ""
            else:
                raise ValueError(f"{model.__name__}.{f.name}: no value and no default")
        self.fixed = fixed
        self.attnames = [f.attname for f in self.fields]
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> int:
        """`rows` are tuples in the order of `names`."""
        positions = {name: i for i, name in enumerate(self.names)}
        order = [
            (positions[a], None) if a in positions else (None, self.fixed[a]) for a in self.attnames
        ]
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            columns = ", ".join(quote(f.column) for f in self.fields)
            sql = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row[i] if i is not None else v for i, v in order])
                    self.count += 1
        else:
            batch = []
            for row in rows:
                values = {
                    a: (row[i] if i is not None else v)
                    for a, (i, v) in zip(self.attnames, order, strict=False)
                }
                batch.append(self.model(**values))
                if len(batch) >= 5000:
                    self.model.objects.bulk_create(batch)
                    self.count += len(batch)
                    batch = []
            if batch:
                self.model.objects.bulk_create(batch)
                self.count += len(batch)
        return self.count


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_sequences(model_list) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)


# -- generating -------------------------------------------------------------------------


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ScaleData:
    servants: int
    seed: int
    as_of: datetime.date
    log: Callable[[str], None] = print
    report: Report = field(default_factory=Report)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.now = timezone.now()
        n = self.servants
        self.n_agencies = max(2, round(n / SERVANTS_PER_AGENCY))
        self.n_programmes = max(4, round(n / SERVANTS_PER_PROGRAMME))
        self.n_competitions = max(1, round(n / SERVANTS_PER_COMPETITION))

    def step(self, name: str, make: Callable[[], int]) -> None:
        started = time.perf_counter()
        count = make()
        seconds = time.perf_counter() - started
        self.report.counts[name] = count
        self.report.seconds[name] = seconds
        self.log(f"{name:<24} {count:>10,}  {seconds:7.1f} s")

    def run(self) -> Report:
        with transaction.atomic():
            self.step("agencies", self.make_agencies)
            self.step("positions", self.make_positions)
            self.step("civil servants", self.make_servants)
            self.step("performance ratings", self.make_ratings)
            self.step("programmes", self.make_programmes)
            self.step("sessions", self.make_sessions)
            self.step("enrolments", self.make_enrolments)
            self.step("qualification records", self.make_records)
            self.step("certificates", self.make_certificates)
            self.step("competitions", self.make_competitions)
            self.step("rule sets", self.make_rules)
            self.step("demo logins", self.make_logins)
            reset_sequences(
                [Agency, Position, CivilServant, PerformanceRating, Programme, Session]
                + [Enrolment, QualificationRecord, Certificate, Competition]
            )
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.report.seconds["analyze"] = time.perf_counter() - started
        return self.report

    # -- people --

    def make_agencies(self) -> int:
        rng = self.rng
        taken_bins = set(Agency.objects.values_list("bin", flat=True))
        first = next_id(Agency)
        self.agency_ids = list(range(first, first + self.n_agencies))
        rows = []
        for number, pk in enumerate(self.agency_ids, 1):
            bin_ = make_bin(rng)
            while bin_ in taken_bins:
                bin_ = make_bin(rng)
            taken_bins.add(bin_)
            kind = AGENCY_KINDS[number % len(AGENCY_KINDS)]
            place = PLACES[number % len(PLACES)]
            rows.append(
                (
                    pk,
                    bin_,
                    f"scale-{self.seed}-{number}",
                    f"{place[0]} {kind[0]} №{number}",
                    f"{kind[1].capitalize()} {place[1]} №{number}",
                    f"{place[2]} {kind[2]} No. {number}",
                )
            )
        # Agency sizes: a few large bodies, many small (Zipf-like weights).
        self.agency_weights = [1 / (i + 1) ** 0.8 for i in range(self.n_agencies)]
        return TableWriter(
            Agency, ("id", "bin", "code", "name_kk", "name_ru", "name_en"), self.now
        ).write(rows)

    def make_positions(self) -> int:
        rng = self.rng
        first = next_id(Position)
        rows = []
        self.positions_of: dict[int, list[tuple[int, str]]] = {}
        pk = first
        for agency_id in self.agency_ids:
            prefix = rng.choice(("C-O", "C-R", "D", "D-O", "E", "E-R", "E-G"))
            codes = [c for c in CATEGORY_CODES if c.rsplit("-", 1)[0] == prefix]
            chosen = []
            for title in POSITION_TITLES:
                for category in rng.sample(codes, 2):
                    rows.append((pk, agency_id, *title, category))
                    chosen.append((pk, category))
                    pk += 1
            self.positions_of[agency_id] = chosen
        return TableWriter(
            Position, ("id", "agency_id", "title_kk", "title_ru", "title_en", "category"), self.now
        ).write(rows)

    def make_servants(self) -> int:
        rng = self.rng
        taken = set(CivilServant.objects.values_list("iin", flat=True))
        taken_pseudonyms = set(CivilServant.objects.values_list("pseudonym", flat=True))
        first = next_id(CivilServant)
        self.servant_ids = list(range(first, first + self.servants))
        self.servant_info: list[tuple[str, str]] = []  # (full name, iin) by index
        agencies = rng.choices(self.agency_ids, weights=self.agency_weights, k=self.servants)
        self.servant_agency = agencies
        self.agency_sizes: dict[int, int] = {}
        start = datetime.date(2000, 1, 1)
        span = (self.as_of - start).days

        def rows() -> Iterator[tuple]:
            for index, pk in enumerate(self.servant_ids):
                female = rng.random() < 0.55
                iin = make_iin(rng, female=female)
                while iin in taken:
                    iin = make_iin(rng, female=female)
                taken.add(iin)
                pseudonym = f"P-{rng.getrandbits(48):012X}"
                while pseudonym in taken_pseudonyms:
                    pseudonym = f"P-{rng.getrandbits(48):012X}"
                taken_pseudonyms.add(pseudonym)
                last = rng.choice(SURNAMES)
                given = rng.choice(GIVEN_NAMES)
                middle = rng.choice(PATRONYMICS)
                agency_id = agencies[index]
                self.agency_sizes[agency_id] = self.agency_sizes.get(agency_id, 0) + 1
                position_id, _category = rng.choice(self.positions_of[agency_id])
                first_day = start + datetime.timedelta(days=rng.randrange(span))
                appointed = first_day + datetime.timedelta(
                    days=rng.randrange((self.as_of - first_day).days + 1)
                )
                self.servant_info.append((" ".join(p for p in (last, given, middle) if p), iin))
                yield (
                    pk, iin, last, given, middle,
                    f"s{pk}@zko.gov.kz" if index % 3 else "",
                    rng.choice(("kk", "kk", "ru")), agency_id, position_id,
                    appointed, first_day, pseudonym,
                )  # fmt: skip

        names = (
            "id", "iin", "last_name", "first_name", "middle_name", "email",
            "preferred_language", "agency_id", "position_id", "appointed_on",
            "first_appointed_on", "pseudonym",
        )  # fmt: skip
        return TableWriter(CivilServant, names, self.now).write(rows())

    def make_ratings(self) -> int:
        rng = self.rng
        draw = weighted(rng, RATINGS)
        last = self.as_of.year * 4 + (self.as_of.month - 1) // 3 - 1  # last complete quarter
        quarters = [(q // 4, q % 4 + 1) for q in range(last - QUARTERS + 1, last + 1)]
        first = next_id(PerformanceRating)

        def rows() -> Iterator[tuple]:
            pk = first
            for servant_id in self.servant_ids:
                for year, quarter in quarters:
                    yield (pk, servant_id, year, quarter, draw())
                    pk += 1

        return TableWriter(
            PerformanceRating, ("id", "servant_id", "year", "quarter", "rating"), self.now
        ).write(rows())

    # -- courses --

    def make_programmes(self) -> int:
        rng = self.rng
        draw_kind = weighted(rng, KINDS)
        first = next_id(Programme)
        self.programme_ids = list(range(first, first + self.n_programmes))
        self.programmes: dict[int, tuple] = {}  # pk → (code, kk, ru, kind, hours)
        rows = []
        for number, pk in enumerate(self.programme_ids, 1):
            topic = rng.choice(TOPICS)
            kind = draw_kind()
            hours = rng.choice(HOURS[kind])
            code = f"SC{self.seed % 1000}-{number:05d}"
            titles = tuple(f"{t} ({number})" for t in topic)
            audience = rng.choice(AUDIENCES)
            patterns = parse_audience(audience)
            summaries = (
                f"{titles[0]}: {hours} академиялық сағат.",
                f"{titles[1]}: {hours} академических часов.",
                f"{titles[2]}: {hours} academic hours.",
            )
            search_text = " ".join((code, *titles, *summaries)).casefold()
            live = rng.random() < 0.97
            self.programmes[pk] = (code, titles[0], titles[1], kind, hours)
            rows.append(
                (
                    pk, code, *titles, *summaries, kind, hours, rng.choice(FORMATS), audience,
                    rng.random() < 0.2, search_text,
                    f",{','.join(patterns)}," if patterns else "",
                    live, self.now if live else None, self.now if live else None,
                )
            )  # fmt: skip
        names = (
            "id", "code", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru",
            "summary_en", "kind", "academic_hours", "format", "audience", "requires_approval",
            "search_text", "audience_index", "live", "first_published_at", "last_published_at",
        )  # fmt: skip
        return TableWriter(Programme, names, self.now).write(rows)

    def make_sessions(self) -> int:
        """Sessions over the 4 years before as-of and the 6 months after (~12 % upcoming)."""
        rng = self.rng
        first = next_id(Session)
        self.session_ids: list[int] = []
        self.session_info: dict[int, tuple] = {}  # pk → (programme pk, starts, ends, upcoming)
        past_days, future_days = 4 * 365, 182
        rows = []
        pk = first
        for programme_id in self.programme_ids:
            hours = self.programmes[programme_id][4]
            for _j in range(SESSIONS_PER_PROGRAMME):
                starts = self.as_of + datetime.timedelta(
                    days=rng.randrange(-past_days, future_days)
                )
                ends = starts + datetime.timedelta(days=max(0, hours // 8 - 1))
                upcoming = ends >= self.as_of
                location = rng.choice(LOCATIONS)
                rows.append(
                    (
                        pk, programme_id, starts, ends, *location,
                        rng.choice(("kk", "ru", "both")), rng.choice((25, 30, 40, 60)),
                        starts - datetime.timedelta(days=30), starts - datetime.timedelta(days=5),
                        SessionStatus.SCHEDULED if upcoming else SessionStatus.FINISHED,
                    )
                )  # fmt: skip
                self.session_ids.append(pk)
                self.session_info[pk] = (programme_id, starts, ends, upcoming)
                pk += 1
        names = (
            "id", "programme_id", "starts_on", "ends_on", "location_kk", "location_ru",
            "location_en", "language", "capacity", "enrolment_opens_on", "enrolment_closes_on",
            "status",
        )  # fmt: skip
        return TableWriter(Session, names, self.now).write(rows)

    # -- learning --

    def make_enrolments(self) -> int:
        rng = self.rng
        past = weighted(rng, PAST_STATUSES)
        upcoming = weighted(rng, UPCOMING_STATUSES)
        first = next_id(Enrolment)
        self.completions: list[tuple] = []  # (enrolment pk, servant index, session pk)
        self.enrolment_counts: list[int] = []  # by servant index
        sessions = self.session_ids
        tz = datetime.UTC

        def rows() -> Iterator[tuple]:
            pk = first
            for index, servant_id in enumerate(self.servant_ids):
                k = rng.randint(ENROLMENTS_PER_SERVANT - 6, ENROLMENTS_PER_SERVANT + 6)
                self.enrolment_counts.append(k)
                for session_id in rng.sample(sessions, k):
                    _programme, starts, ends, is_upcoming = self.session_info[session_id]
                    status = upcoming() if is_upcoming else past()
                    requested = datetime.datetime.combine(
                        starts - datetime.timedelta(days=rng.randrange(5, 30)),
                        datetime.time(8 + rng.randrange(10), rng.randrange(60)),
                        tzinfo=tz,
                    )
                    finished = attended = passed = score = None
                    if status in (EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED):
                        finished = datetime.datetime.combine(ends, datetime.time(17), tzinfo=tz)
                        passed = status == EnrolmentStatus.COMPLETED
                        score = rng.randrange(60 if passed else 20, 101 if passed else 60)
                        attended = rng.randrange(80, 101) if passed else rng.randrange(40, 90)
                    elif status == EnrolmentStatus.NO_SHOW:
                        finished = datetime.datetime.combine(ends, datetime.time(17), tzinfo=tz)
                        attended, passed = 0, False
                    decided = (
                        requested + datetime.timedelta(days=1)
                        if status in (EnrolmentStatus.REJECTED, EnrolmentStatus.ENROLLED)
                        else None
                    )
                    if status == EnrolmentStatus.COMPLETED:
                        self.completions.append((pk, index, session_id))
                    yield (
                        pk, servant_id, session_id, status, requested, decided,
                        attended, passed, score, finished,
                    )  # fmt: skip
                    pk += 1

        names = (
            "id", "servant_id", "session_id", "status", "requested_at", "decided_at",
            "attended_hours", "passed", "score", "finished_at",
        )  # fmt: skip
        return TableWriter(Enrolment, names, self.now).write(rows())

    def _uid(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def make_records(self) -> int:
        """One record per completed enrolment, plus records imported from before."""
        rng = self.rng
        first = next_id(QualificationRecord)
        self.certified: list[tuple] = []  # (record pk, servant index, session pk)
        cutoff = add_years(self.as_of, -CERTIFICATE_YEARS)
        draw_kind = weighted(rng, KINDS)
        taken = set(QualificationRecord.objects.values_list("uid", flat=True))

        def uid() -> str:
            value = self._uid()
            while value in taken:
                value = self._uid()
            taken.add(value)
            return value

        def rows() -> Iterator[tuple]:
            pk = first
            for enrolment_id, index, session_id in self.completions:
                programme_id, _starts, ends, _up = self.session_info[session_id]
                code, kk, ru, kind, hours = self.programmes[programme_id]
                certified = ends >= cutoff
                yield (
                    pk, uid(), self.servant_ids[index], programme_id, enrolment_id, kk, ru, "",
                    kind, *BRANCH, "", hours, ends, three_years_on(ends), "", "enrolment",
                )  # fmt: skip
                if certified:
                    self.certified.append((pk, index, session_id))
                pk += 1
            for servant_id in self.servant_ids:
                for _j in range(rng.randint(0, 2 * IMPORTED_RECORDS_PER_SERVANT)):
                    kind = draw_kind()
                    done = self.as_of - datetime.timedelta(days=rng.randrange(365, 3650))
                    # Courses of other providers, kept in Russian only as they were reported.
                    yield (
                        pk, uid(), servant_id, None, None, "", rng.choice(TOPICS)[1], "", kind,
                        "", rng.choice(PROVIDERS), "", rng.choice(HOURS[kind]), done,
                        three_years_on(done),
                        f"EXT-{pk:08d}" if pk % 2 else "", "import",
                    )  # fmt: skip
                    pk += 1

        names = (
            "id", "uid", "servant_id", "programme_id", "enrolment_id", "title_kk", "title_ru",
            "title_en", "kind", "provider_kk", "provider_ru", "provider_en", "hours",
            "completed_on", "valid_until", "certificate_number", "source",
        )  # fmt: skip
        return TableWriter(QualificationRecord, names, self.now).write(rows())

    def make_certificates(self) -> int:
        rng = self.rng
        first = next_id(Certificate)
        numbers: dict[int, int] = dict(
            SerialCounter.objects.filter(prefix=SERIAL_PREFIX).values_list("year", "last_number")
        )
        tz = datetime.UTC
        # In issue order: serial numbers rise with the issue date within a year.
        ordered = sorted(self.certified, key=lambda c: (self.session_info[c[2]][2], c[0]))

        def rows() -> Iterator[tuple]:
            pk = first
            for record_id, index, session_id in ordered:
                programme_id, starts, ends, _up = self.session_info[session_id]
                code, kk, ru, kind, hours = self.programmes[programme_id]
                issued = ends + datetime.timedelta(days=rng.randrange(0, 5))
                numbers[issued.year] = number = numbers.get(issued.year, 0) + 1
                name, iin = self.servant_info[index]
                yield (
                    pk, record_id, self.servant_ids[index],
                    format_serial(prefix=SERIAL_PREFIX, year=issued.year, number=number),
                    issued.year, number,
                    base64.urlsafe_b64encode(rng.randbytes(15)).decode(),
                    datetime.datetime.combine(issued, datetime.time(10), tzinfo=tz),
                    name, mask_iin(iin), code, kk, ru, kind, hours, starts, ends,
                    three_years_on(ends), *BRANCH,
                )  # fmt: skip
                pk += 1

        names = (
            "id", "record_id", "servant_id", "serial", "year", "number", "verification_code",
            "issued_at", "holder_name", "holder_iin_masked", "programme_code", "title_kk",
            "title_ru", "kind", "hours", "starts_on", "completed_on", "valid_until",
            "branch_name_kk", "branch_name_ru",
        )  # fmt: skip
        count = TableWriter(Certificate, names, self.now).write(rows())
        for year, number in numbers.items():
            SerialCounter.objects.update_or_create(
                prefix=SERIAL_PREFIX, year=year, defaults={"last_number": number}
            )
        return count

    def make_competitions(self) -> int:
        rng = self.rng
        first = next_id(Competition)
        rows = []
        seen = set()
        for pk in range(first, first + self.n_competitions):
            index = rng.randrange(self.servants)
            agency_id = self.servant_agency[index]
            _position, category = rng.choice(self.positions_of[agency_id])
            title = rng.choice(POSITION_TITLES)[1]
            held = self.as_of - datetime.timedelta(days=rng.randrange(1, 3 * 365))
            while (agency_id, title, category, held) in seen:
                held -= datetime.timedelta(days=1)
            seen.add((agency_id, title, category, held))
            outcome = rng.choice(("promoted", "promoted", "appointed", "failed"))
            winner = self.servant_ids[index] if outcome != "failed" else None
            rows.append(
                (pk, agency_id, title, category, held, rng.choice(("general", "internal")),
                 outcome, winner, int(rng.random() < 0.05))
            )  # fmt: skip
        names = (
            "id", "agency_id", "position_title", "category", "held_on", "kind", "outcome",
            "winner_id", "violations",
        )  # fmt: skip
        return TableWriter(Competition, names, self.now).write(rows)

    def make_rules(self) -> int:
        """The promotion rules in force, unless the database has some already."""
        if RuleSet.objects.exists():
            return 0
        rule = RuleSet.objects.create(
            version="scale-data",
            effective_from=datetime.date(2020, 1, 1),
            basis="Synthetic data: 4 quarters, 3 years, 36 hours",
        )
        requirements = (("C-*", 40, 0), ("D-*", 36, 0), ("E-*", 36, 0))
        QualificationRequirement.objects.bulk_create(
            QualificationRequirement(
                rule_set=rule, category_pattern=pattern, min_years_of_service=years
            )
            for pattern, _hours, years in requirements
        )
        from enrolments.models import TrainingRequirement, TrainingRequirementCategory

        training, _created = TrainingRequirement.objects.get_or_create(
            effective_from=rule.effective_from, defaults={"basis": rule.basis}
        )
        TrainingRequirementCategory.objects.bulk_create(
            TrainingRequirementCategory(requirement=training, category_pattern=p, min_hours=h)
            for p, h, _years in requirements
        )
        return 1

    # -- logins for the benchmarks --

    def make_logins(self) -> int:
        """scale.servant (the servant with the most enrolments), scale.hr (HR officer of the
        largest agency), scale.manager (academy manager); password DEMO_PASSWORD."""
        User = get_user_model()
        suffix = (
            "" if not User.objects.filter(username="scale.manager").exists() else f".{self.seed}"
        )

        def user(username: str, group: str) -> object:
            made = User.objects.create_user(
                username + suffix, f"{username}{suffix}@example.kz", DEMO_PASSWORD
            )
            made.groups.add(Group.objects.get(name=group))
            return made

        counts = self.enrolment_counts
        busiest = max(range(self.servants), key=lambda i: (counts[i], -i))
        servant_user = user("scale.servant", roles.CIVIL_SERVANTS)
        CivilServant.objects.filter(pk=self.servant_ids[busiest]).update(user=servant_user)
        largest = max(self.agency_sizes, key=lambda pk: (self.agency_sizes[pk], -pk))
        hr_user = user("scale.hr", roles.HR_OFFICERS)
        officer = HROfficer.objects.create(user=hr_user)
        officer.agencies.add(largest)
        user("scale.manager", roles.ACADEMY_MANAGERS)
        self.report.logins = [
            (servant_user.username, f"civil servant with {counts[busiest]} enrolments"),
            (
                hr_user.username,
                f"HR officer of the largest agency ({self.agency_sizes[largest]} servants)",
            ),
            (f"scale.manager{suffix}", "academy manager"),
        ]
        return 3
