"""HR's day in a real browser: the home page's panels (1366 and 390 px, no sideways scroll),
approving one request and then several at once, and importing ratings from a Windows-1251
CSV through preview and confirm."""

import datetime

import pytest
from django.utils import timezone

from core import authorization as roles
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services import enrolment_request
from people.models import PerformanceRating
from tests.browser import DESKTOP, PHONE, log_in, no_overflow
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
    hr_officer_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_world():
    today = timezone.localdate()
    agency = AgencyFactory(code="akimat-browser", name_ru="Акимат (браузер)")
    officer = hr_officer_for(agency, username="hr-browser")
    session = SessionFactory(
        programme=ProgrammeFactory(code="APPR-BROWSER", requires_approval=True),
        starts_on=today + datetime.timedelta(days=12),
        capacity=10,
    )
    requests = []
    for index in range(3):
        user = UserFactory(username=f"req-{index}", role=roles.CIVIL_SERVANTS)
        servant = ServantFactory(agency=agency, user=user, last_name=f"Заявитель{index}")
        requests.append(enrolment_request(servant=servant, session=session, actor=user))
    assert all(r.status == EnrolmentStatus.PENDING_APPROVAL for r in requests)
    return officer, requests


def test_hr_home_approvals_and_import(live_server, default_site, tab, hr_world, tmp_path):
    officer, requests = hr_world
    base = live_server.url

    # The home page: HR's panels, fitting both widths.
    for width in (DESKTOP, PHONE):
        page = tab(locale="ru-RU", width=width)
        log_in(page, base, "/admin/login/", officer.username)
        page.goto(f"{base}/admin/")
        page.locator("#home-waiting-requests-section").wait_for()
        assert page.locator("#home-waiting-requests-section .bk-home__number").inner_text() == "3"
        assert page.locator("#home-promotion-eligible-section").count() == 1
        assert no_overflow(page) == 0, (width, no_overflow(page))

    # One request approved on its own.
    page.goto(f"{base}/admin/enrolments/approvals/")
    assert no_overflow(page) == 0
    first = requests[0]
    with page.expect_navigation():
        page.click(f'tr[data-enrolment="{first.pk}"] button[value="approve"]')
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.ENROLLED

    # The other two selected and approved at once.
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    for enrolment in requests[1:]:
        page.check(f'input[name="enrolments"][value="{enrolment.pk}"]')
    with page.expect_navigation():
        page.click('#bulk-approve button[value="approve_selected"]')
    assert set(
        Enrolment.objects.filter(pk__in=[r.pk for r in requests]).values_list("status", flat=True)
    ) == {EnrolmentStatus.ENROLLED}
    assert page.locator(".messages").inner_text().count("Заявитель") >= 2

    # Ratings from a Windows-1251 CSV with Russian headers: check, then confirm.
    servant = requests[0].servant
    year = timezone.localdate().year - 1
    csv = tmp_path / "оценки.csv"
    csv.write_bytes(f"ИИН;Год;Квартал;Оценка\n{servant.iin};{year};4;эффективно\n".encode("cp1251"))
    page.goto(f"{base}/admin/records/import/")
    page.select_option("select[name=resource]", "ratings")
    page.set_input_files("input[name=import_file]", str(csv))
    with page.expect_navigation():
        page.click("#import-upload-section button[type=submit]")
    confirm = page.locator('button[name="confirm"]')
    confirm.wait_for()
    assert not PerformanceRating.objects.filter(servant=servant, year=year, quarter=4).exists()
    with page.expect_navigation():
        confirm.click()
    rating = PerformanceRating.objects.get(servant=servant, year=year, quarter=4)
    assert rating.rating == "effective"

    # The home page now lists that import.
    page.goto(f"{base}/admin/")
    assert page.locator("#home-last-imports-section .bk-home__row").count() == 1
    assert page.locator("#home-waiting-requests-section .bk-home__number").inner_text() == "0"
