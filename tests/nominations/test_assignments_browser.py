"""An HR officer assigns mandatory training to a group of their state body through the form
(filter, select, preview, confirm) and sees it in the list, in a real Chromium (issue 16's
"Done when")."""

import datetime

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from enrolments.models import QualificationRecord
from nominations.models import Assignment
from tests.browser import PHONE, log_in, no_overflow
from tests.factories import AgencyFactory, ProgrammeFactory, ServantFactory, hr_officer_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    today = timezone.localdate()
    agency = AgencyFactory(code="akimat-assign", name_ru="Акимат А", name_kk="А әкімдігі")
    officer = hr_officer_for(agency, username="hr-assign")
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "ru"
    profile.save()
    people = [ServantFactory(agency=agency, last_name=f"Работник{n}") for n in range(4)]
    ServantFactory(agency=AgencyFactory(), last_name="Работник-чужой")  # another body's person
    programme = ProgrammeFactory(code="BROWSER-ASSIGN", academic_hours=24, kind="upgrade")
    # One of the group already completed the programme: the preview skips them, saying why.
    QualificationRecord.objects.create(
        servant=people[3],
        programme=programme,
        title="Курс",
        kind="upgrade",
        provider="Академия",
        hours=24,
        completed_on=today - datetime.timedelta(days=20),
        valid_until=today + datetime.timedelta(days=1000),
        source="import",
    )
    return officer, people, programme


def test_hr_assigns_mandatory_training_to_a_group_and_sees_it_listed(
    live_server, default_site, tab, world
):
    officer, people, programme = world
    due = timezone.localdate() + datetime.timedelta(days=45)
    page = tab(locale="ru-RU")
    log_in(page, live_server.url, "/admin/login/", officer.username)
    page.goto(f"{live_server.url}/admin/assignments/assign/?q=Работник")
    assert "Работник-чужой" not in page.content()
    for person in people:
        page.check(f"#person-{person.pk}")
    page.select_option("#id_programme", str(programme.pk))
    page.fill("#id_due_on", due.isoformat())
    page.fill("#id_reason", "Квалификационное требование должности")
    with page.expect_navigation():
        page.click("button[name=action][value=preview]")
    assert page.locator('tr[data-outcome="assign"]').count() == 3
    skipped = page.locator('tr[data-outcome="skipped"]')
    assert skipped.count() == 1 and "Работник3" in skipped.inner_text()
    assert not Assignment.objects.exists()  # the preview wrote nothing
    assert no_overflow(page) == 0

    with page.expect_navigation():
        page.click("button[name=action][value=confirm]")
    assert "/admin/assignments/?batch=" in page.url
    assert Assignment.objects.filter(assigned_by=officer, programme=programme).count() == 3
    rows = page.locator("table.assignments tbody tr")
    assert rows.count() == 3
    assert page.locator('tr[data-status="assigned"]').count() == 3
    assert due.strftime("%d.%m.%Y") in page.locator("table.assignments").inner_text()

    phone = tab(locale="kk-KZ", width=PHONE)
    log_in(phone, live_server.url, "/admin/login/", officer.username)
    phone.goto(f"{live_server.url}/admin/assignments/?status=assigned")
    assert phone.locator("table.assignments tbody tr").count() == 3
    assert no_overflow(phone) == 0
