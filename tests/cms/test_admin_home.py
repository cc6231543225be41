"""The back office's home page shows each role its work (cms.admin_home), every figure linking
to its list, in a bounded number of queries; and it asks no outside server for anything."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cms import admin_home
from core.authorization import CIVIL_SERVANTS
from enrolments.models import Enrolment, EnrolmentStatus, QualificationRecord
from enrolments.services import enrolment_request
from tests.conftest import admin_in_english
from tests.factories import ProgrammeFactory, ServantFactory, SessionFactory, UserFactory

MANAGER_PANELS = ("home-upcoming-sessions", "home-results-to-record", "home-certificates-to-issue")
HR_PANELS = (
    "home-waiting-requests",
    "home-overdue-assignments",
    "home-expiring-qualifications",
    "home-promotion-eligible",
    "home-last-imports",
)
AUDITOR_PANELS = ("home-meritocracy", "home-latest-audit")
EVERYONE = "home-notifications"  # each login's own notifications


def home(client, user) -> str:
    client.force_login(admin_in_english(user))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panels_in(html: str) -> set[str]:
    return set(re.findall(r'id="(home-[a-z-]+)-section"', html))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, expected",
    [
        ("academy_manager", {EVERYONE, *MANAGER_PANELS, "home-waiting-requests"}),
        ("hr_officer_a", {EVERYONE, *HR_PANELS}),
        ("auditor", {EVERYONE, *AUDITOR_PANELS}),
        ("superuser", {EVERYONE, *MANAGER_PANELS, *HR_PANELS, *AUDITOR_PANELS}),
    ],
)
def test_each_role_sees_its_own_panels(client, request, who, expected):
    cache.clear()
    assert panels_in(home(client, request.getfixturevalue(who))) == expected


@pytest.fixture
def busy_academy(today, agency_a, agency_b):
    """Sessions starting soon (one full with a waiting list, one with a pending request), one
    ended without results, one ended with a completion that has no certificate."""

    def servant(agency):
        person = ServantFactory(agency=agency)
        person.user = UserFactory(username=f"s-{person.iin}", role=CIVIL_SERVANTS)
        person.save()
        return person

    soon = SessionFactory(
        programme=ProgrammeFactory(code="SOON-C"),
        starts_on=today + datetime.timedelta(days=3),
        capacity=1,
    )
    # Its window has closed (five days before the start): rows as the services left them.
    for status in ("enrolled", "waitlisted", "waitlisted"):
        Enrolment.objects.create(
            servant=servant(agency_a), session=soon, status=status, requested_at=timezone.now()
        )
    approval = SessionFactory(
        programme=ProgrammeFactory(code="APPR-C", requires_approval=True),
        starts_on=today + datetime.timedelta(days=10),
    )
    for agency in (agency_a, agency_a, agency_b):
        enrolment_request(servant=(p := servant(agency)), session=approval, actor=p.user)
    SessionFactory(starts_on=today + datetime.timedelta(days=40))  # beyond two weeks
    ended = SessionFactory(
        programme=ProgrammeFactory(code="ENDED-C"),
        starts_on=today - datetime.timedelta(days=6),
        ends_on=today - datetime.timedelta(days=2),
    )
    for agency in (agency_a, agency_b):
        Enrolment.objects.create(
            servant=servant(agency), session=ended, status="enrolled", requested_at=timezone.now()
        )
    return {"soon": soon, "approval": approval, "ended": ended}


@pytest.mark.django_db
def test_the_manager_sees_seats_waiting_and_pending_of_sessions_starting_soon(
    client, academy_manager, busy_academy
):
    html = home(client, academy_manager)
    soon = busy_academy["soon"]
    assert "seats taken: 1 of 1" in html and "waiting: 2" in html
    assert "awaiting approval: 3" in html
    assert reverse("wagtailsnippets_courses_session:edit", args=[soon.pk]) in html
    # Seats taken and waiting link to the session page's roster; awaiting approval, to the
    # approvals queue narrowed to that session.
    roster = reverse("wagtailsnippets_courses_session:inspect", args=[soon.pk]) + "#roster"
    assert html.count(f'href="{roster}"') == 2
    approval = busy_academy["approval"]
    assert f'href="{reverse("enrolments_approvals")}?session={approval.pk}"' in html
    with translation.override("en"):
        assert soon.programme.title in html and approval.programme.title in html
    # Results: the ended session, linking to its results grid.
    assert reverse("enrolments_session_results", args=[busy_academy["ended"].pk]) in html
    assert "2 participants without a result" in html


@pytest.mark.django_db
def test_the_hr_officer_counts_only_their_state_bodys_requests(client, hr_officer_a, busy_academy):
    html = home(client, hr_officer_a)
    section = html[html.index('id="home-waiting-requests-section"') :]
    assert re.search(r'bk-home__number">2<', section), "two of agency A's, not B's"
    assert reverse("enrolments_approvals") in section


@pytest.mark.django_db
def test_expiring_qualifications_link_to_a_list_of_exactly_the_records_counted(
    client, hr_officer_a, servant_of_a, servant_of_b, today
):
    def record(person, days, **kwargs):
        return QualificationRecord.objects.create(
            servant=person,
            title_ru="Этика",
            hours=16,
            completed_on=today - datetime.timedelta(days=700),
            valid_until=today + datetime.timedelta(days=days),
            source="import",
            **kwargs,
        )

    expiring = [record(servant_of_a, 30), record(servant_of_a, 90)]
    record(servant_of_a, 0, is_current=False)  # replaced: not counted, not listed
    record(servant_of_a, 200)  # not within 90 days
    record(servant_of_b, 30)  # another state body's
    html = home(client, hr_officer_a)
    section = html[html.index('id="home-expiring-qualifications-section"') :]
    section = section[: section.index("</section>")]
    assert re.search(r'bk-home__number">2<', section)
    until = (today + datetime.timedelta(days=90)).isoformat()
    url = (
        f"/admin/records/?is_current=true&amp;valid_until_from={today.isoformat()}"
        f"&amp;valid_until_to={until}"
    )
    assert url in section
    counted = {int(pk) for pk in re.findall(r"/admin/records/inspect/(\d+)/", section)}
    assert counted == {r.pk for r in expiring}

    listing = client.get(url.replace("&amp;", "&")).content.decode()
    listed = {int(pk) for pk in re.findall(r"/admin/records/inspect/(\d+)/", listing)}
    assert listed == counted
    # Its chips, in words and the reader's dates.
    chips = re.sub(r"\s+", " ", re.sub(r"<(?!/?b\b)[^>]+>", " ", listing))
    with translation.override("en"):
        period = f"{date_format(today)} - {date_format(today + datetime.timedelta(days=90))}"
    assert f"Valid until: <b>{period}</b>" in re.sub(r"<b [^>]*>", "<b>", chips)
    assert "Current or replaced: <b>current only</b>" in re.sub(r"<b [^>]*>", "<b>", chips)


@pytest.mark.django_db
def test_the_records_list_filters_current_from_withdrawn_or_replaced_records(
    client, hr_officer_a, servant_of_a, today
):
    old = QualificationRecord.objects.create(
        servant=servant_of_a,
        title_ru="Этика",
        hours=16,
        completed_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=30),
        source="import",
        is_current=False,
    )
    new = QualificationRecord.objects.create(
        servant=servant_of_a,
        title_ru="Этика",
        hours=18,
        completed_on=today - datetime.timedelta(days=700),
        valid_until=today + datetime.timedelta(days=30),
        source="import",
        supersedes=old,
    )
    client.force_login(admin_in_english(hr_officer_a))

    def listed(query: str) -> set[int]:
        html = client.get(f"/admin/records/{query}").content.decode()
        return {int(pk) for pk in re.findall(r"/admin/records/inspect/(\d+)/", html)}

    assert listed("") == {old.pk, new.pk}
    assert listed("?is_current=true") == {new.pk}
    assert listed("?is_current=false") == {old.pk}
    form = client.get("/admin/records/").content.decode()
    assert "Current or replaced" in form and "withdrawn or replaced" in form


@pytest.mark.django_db
def test_the_promotion_count_is_evaluated_once_then_cached(
    client, hr_officer_a, servant_of_a, monkeypatch
):
    cache.clear()
    calls = []

    class Eligible:
        eligible = True

    def stream(**kwargs):
        calls.append(kwargs["agency"])
        return iter([Eligible(), Eligible()])

    monkeypatch.setattr(admin_home.promotion_services, "rule_set_on", lambda day: object())
    monkeypatch.setattr(admin_home.promotion_services, "eligibility_stream", stream)
    for _ in range(2):
        html = home(client, hr_officer_a)
        section = html[html.index('id="home-promotion-eligible-section"') :]
        assert re.search(r'bk-home__number">2<', section)
        assert reverse("promotions_check") in section
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_auditor_sees_the_meritocracy_level_and_latest_entries(client, auditor, agency_a):
    from promotions.models import Competition, CompetitionOutcome

    last_year = timezone.localdate().year - 1
    for day, outcome in enumerate(
        (CompetitionOutcome.PROMOTED, CompetitionOutcome.PROMOTED, "appointed"), start=1
    ):
        Competition.objects.create(
            agency=agency_a,
            position_title="Бас маман",
            category="C-O-4",
            held_on=datetime.date(last_year, 5, day),
            outcome=outcome,
        )
    html = home(client, auditor)
    section = html[html.index('id="home-meritocracy-section"') :]
    assert "66.7" in section or "66,7" in section
    assert f"start={last_year}-01-01&amp;end={last_year}-12-31" in section
    entry = LogEntry.objects.order_by("-timestamp").first()
    assert reverse("audit_trail:inspect", args=[entry.pk]) in html


PANELS = [
    admin_home.UpcomingSessionsPanel,
    admin_home.ResultsToRecordPanel,
    admin_home.CertificatesToIssuePanel,
    admin_home.WaitingRequestsPanel,
    admin_home.ExpiringQualificationsPanel,
    admin_home.LastImportsPanel,
    admin_home.MeritocracyPanel,
    admin_home.LatestAuditPanel,
]


def queries_of(panel_class, user, rf) -> int:
    request = rf.get("/admin/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        panel_class(request).render_html({"request": request})
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("panel_class", PANELS, ids=lambda p: p.__name__)
def test_each_panel_reads_in_a_fixed_number_of_queries(panel_class, superuser, rf, busy_academy):
    few = queries_of(panel_class, superuser, rf)
    # As many again of everything the panels count.
    today = timezone.localdate()
    for index in range(6):
        session = SessionFactory(starts_on=today + datetime.timedelta(days=1 + index))
        person = ServantFactory(agency=busy_academy["soon"].enrolments.first().servant.agency)
        person.user = UserFactory(username=f"more-{index}", role=CIVIL_SERVANTS)
        person.save()
        Enrolment.objects.create(
            servant=person, session=session, status="waitlisted", requested_at=timezone.now()
        )
        ended = SessionFactory(
            starts_on=today - datetime.timedelta(days=9), ends_on=today - datetime.timedelta(days=3)
        )
        Enrolment.objects.create(
            servant=person,
            session=ended,
            status=EnrolmentStatus.ENROLLED,
            requested_at=timezone.now(),
        )
    many = queries_of(panel_class, superuser, rf)
    assert many == few and many <= 6, (few, many)


@pytest.mark.django_db
def test_the_admin_asks_no_outside_server(client, superuser):
    html = home(client, superuser)
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    assert "gravatar" not in html
    assert "default-user-avatar" in html  # Wagtail's own avatar instead
    # No release check (Wagtail's upgrade panel and its script config) and no what's-new banner.
    assert "releases.wagtail.org" not in html and "w-upgrade" not in html
    assert "whats_new" not in html
