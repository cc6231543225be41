"""No raw codes on the back office's screens and downloads (issue 14): each list and inspect
view, the audit trail, the eligibility check and the meritocracy dashboard, opened by the role
that uses it and read in Kazakh and in Russian, shows choices by their labels, yes/no as words,
nothing as a dash — never `proper`, `general`, `retraining`, `True`, `False` or `None`; and a
spreadsheet downloaded from a list reads the same way."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from core import authorization as roles
from courses.models import SessionStatus
from enrolments.models import (
    Enrolment,
    EnrolmentStatus,
    QualificationRecord,
    RecordSource,
    TrainingRequirement,
)
from people.models import PerformanceRating, Rating
from promotions.models import (
    Competition,
    CompetitionKind,
    CompetitionOutcome,
    QualificationRequirement,
    RuleSet,
)
from tests.factories import (
    PositionFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru"]
# The codes a reader met on these screens before, as whole words (a programme code such as
# RETRAIN-LOCAL or an e-mail address is not one).
RAW = re.compile(
    r"(?<![\w.@/-])("
    r"True|False|None|"
    r"ratings|training_hours|retraining|required_programmes|service_years|"
    r"effective|proper|satisfactory|unsatisfactory|"
    r"pending_approval|enrolled|waitlisted|rejected|withdrawn|cancelled|completed|failed|no_show|"
    r"general|internal|promoted|appointed|"
    r"upgrade|seminar|in_person|online|blended|scheduled|finished|"
    r"enrolment|import|manual|"
    r"Created|Updated|created at|updated at|created by"
    r")(?![\w/-])"
)


class _Text(HTMLParser):
    """The text nodes of the page's <main> (what is shown or read aloud), without scripts,
    styles, templates and attributes."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.depth_main = 0
        self.skipping = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main" or self.depth_main:
            self.depth_main += tag not in {"br", "hr", "img", "input", "meta", "link", "use"}
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if self.depth_main and tag not in {"br", "hr", "img", "input", "meta", "link", "use"}:
            self.depth_main -= 1

    def handle_data(self, data):
        if self.depth_main and not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(body: str) -> str:
    parser = _Text()
    parser.feed(body)
    return " ".join(parser.parts)


def raw_codes(text: str) -> list[str]:
    found = []
    for match in RAW.finditer(text):
        found.append(
            f"{match.group(1)!r} in …{text[max(0, match.start() - 50) : match.end() + 30]}…"
        )
    return found


def reading(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def world(agency_a, hr_officer_a):
    """A little of everything, with empty values, yes/no fields and every kind of code."""
    position = PositionFactory(agency=agency_a, category="C-O-4")
    person = ServantFactory(
        agency=agency_a,
        position=position,
        middle_name="",
        first_appointed_on=datetime.date(2015, 1, 10),
    )
    for year, quarter in ((2025, 4), (2026, 1), (2026, 2), (2026, 3)):
        PerformanceRating.objects.create(
            servant=person, year=year, quarter=quarter, rating=Rating.PROPER
        )
    programme = ProgrammeFactory(code="RETRAIN-9", kind="retraining", format="online")
    session = SessionFactory(programme=programme, status=SessionStatus.SCHEDULED)
    enrolment = Enrolment.objects.create(
        servant=person,
        session=session,
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now(),
    )
    record = QualificationRecord.objects.create(
        servant=person,
        programme=programme,
        title="Переподготовка",
        kind="retraining",
        provider="Академия",
        hours=120,
        completed_on=datetime.date(2025, 3, 1),
        valid_until=datetime.date(2028, 3, 1),
        source=RecordSource.IMPORT,
    )
    competition = Competition.objects.create(
        agency=agency_a,
        position_title="Главный специалист",
        category="C-O-4",
        held_on=datetime.date(2026, 5, 20),
        kind=CompetitionKind.GENERAL,
        outcome=CompetitionOutcome.PROMOTED,
    )
    rule = RuleSet.objects.create(version="2024-1", effective_from=datetime.date(2024, 1, 1))
    QualificationRequirement.objects.create(rule_set=rule, category_pattern="C-O-*")
    training = TrainingRequirement.objects.create(
        effective_from=rule.effective_from, retraining_required=True
    )
    training.categories.create(category_pattern="C-O-*", min_hours=40)
    return {
        "servant": person,
        "enrolment": enrolment,
        "record": record,
        "competition": competition,
        "training": training,
        "rule": rule,
        "programme": programme,
    }


@pytest.fixture
def people(world, hr_officer_a):
    return {
        "manager": UserFactory(username="manager-kk", role=roles.ACADEMY_MANAGERS),
        "hr": hr_officer_a,
        "auditor": UserFactory(username="auditor-kk", role=roles.AUDITORS),
        "admin": UserFactory(username="root-kk", is_superuser=True, is_staff=True),
    }


# (page, the role that uses it, its URL from the world)
PAGES = [
    ("programmes", "manager", lambda w: reverse("wagtailsnippets_courses_programme:list")),
    ("sessions", "manager", lambda w: reverse("wagtailsnippets_courses_session:list")),
    ("enrolments", "manager", lambda w: reverse("enrolments:index")),
    ("enrolment", "manager", lambda w: reverse("enrolments:inspect", args=[w["enrolment"].pk])),
    ("records", "hr", lambda w: reverse("records:index")),
    ("record", "hr", lambda w: reverse("records:inspect", args=[w["record"].pk])),
    ("servants", "hr", lambda w: reverse("servants:index")),
    ("servant", "hr", lambda w: reverse("servants:inspect", args=[w["servant"].pk])),
    ("ratings", "hr", lambda w: reverse("ratings:index")),
    ("competitions", "auditor", lambda w: reverse("competitions:index")),
    (
        "competition",
        "auditor",
        lambda w: reverse("competitions:inspect", args=[w["competition"].pk]),
    ),
    (
        "training requirement",
        "hr",
        lambda w: reverse("training_requirements:inspect", args=[w["training"].pk]),
    ),
    ("rule set", "admin", lambda w: reverse("rule_sets:inspect", args=[w["rule"].pk])),
    ("audit trail", "auditor", lambda w: reverse("audit_trail:index")),
    ("meritocracy", "auditor", lambda w: reverse("promotions_dashboard")),
    ("users", "admin", lambda w: reverse("wagtailusers_users:index")),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("page", "role", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_shows_labels_not_codes(client, world, people, page, role, url, language):
    client.force_login(reading(people[role], language))
    response = client.get(url(world))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert text, "the page has a <main> with text"
    assert raw_codes(text) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_audit_entry_names_its_fields_in_the_readers_language(client, world, people, language):
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(world["record"]).first()
    client.force_login(reading(people["auditor"], language))
    response = client.get(reverse("audit_trail:inspect", args=[entry.pk]))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert raw_codes(text) == []
    assert {"kk": "Құрылған уақыты", "ru": "Создано"}[language] in text


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("kk", ["Қызметті тоқсан сайынғы бағалау", "Оқу сағаттары", "Қайта даярлау"]),
        ("ru", ["Ежеквартальная оценка деятельности", "Часы обучения", "Переподготовка"]),
    ],
)
def test_the_eligibility_check_names_its_criteria(client, world, people, language, names):
    client.force_login(reading(people["hr"], language))
    response = client.post(
        reverse("promotions_check"),
        {"servant": world["servant"].pk, "target_category": "C-O-3", "as_of": "2026-11-27"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('<table class="listing">')
    table = body[start : body.index("</table>", start)]
    text = visible_text(f"<main>{table}</main>")
    for name in names:
        assert name in text
    assert not re.search(r"\b(ratings|training_hours|retraining)\b", text)


def _programme_export(client, user, language, form):
    client.force_login(reading(user, language))
    response = client.get(reverse("wagtailsnippets_courses_programme:list"), {"export": form})
    assert response.status_code == 200
    if form == "csv":
        data = b"".join(response.streaming_content).decode("utf-8")
        return list(csv.reader(io.StringIO(data)))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.values]


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Түрі", "қайта даярлау", "онлайн"]),
        ("ru", ["Вид", "переподготовка", "онлайн"]),
    ],
)
def test_the_programme_download_is_in_the_readers_words(
    client, world, people, form, language, words
):
    rows = _programme_export(client, people["manager"], language, form)
    row = next(r for r in rows if r and r[0] == world["programme"].code)
    cells = [str(cell) for cell in rows[0] + row]
    for word in words:
        assert any(word.casefold() == cell.casefold() for cell in cells), (word, cells)
    assert "retraining" not in cells and "online" not in cells


@pytest.mark.parametrize(("exported_in", "imported_in"), [("kk", "ru"), ("ru", "kk")])
def test_a_labelled_export_reimports_unchanged(world, exported_in, imported_in):
    """The competitions register downloaded with its words in one language goes back in,
    read by a user of the other, and changes nothing."""
    from cms.records import export_spec
    from core.exporting import csv_chunks
    from tests.records.helpers import run_import

    queryset, columns = export_spec("competitions")
    with translation.override(exported_in):
        data = "".join(csv_chunks(queryset, columns))
    assert raw_codes(data) == []
    assert {"kk": "жалпы конкурс", "ru": "общий конкурс"}[exported_in] in data
    stored = list(Competition.objects.values_list("kind", "outcome", "updated_at"))
    with translation.override(imported_in):
        report = run_import("competitions", data.encode("utf-8"), "competitions.csv")
    assert report.ok, report.lines
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert list(Competition.objects.values_list("kind", "outcome", "updated_at")) == stored
