"""A real browser joins a full session's waiting list and withdraws again (after saying so on
the confirmation page).

Playwright (sync API) drives Debian's Chromium against pytest-django's live server. No browser
is ever downloaded: the test uses /usr/bin/chromium and fails loudly when it is missing
(`make setup` installs the `chromium` package).
"""

import datetime
import re

import pytest
from django.utils import timezone

from core import authorization as roles
from enrolments.models import Enrolment, EnrolmentStatus
from enrolments.services import enrolment_request
from tests.browser import PASSWORD
from tests.factories import (
    AgencyFactory,
    ProgrammeFactory,
    ServantFactory,
    SessionFactory,
    UserFactory,
)

# transaction=True: the live server thread must see the rows this test creates.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full_session():
    """A session of capacity 1, enrolment open today, whose one seat is already taken."""
    today = timezone.localdate()
    programme = ProgrammeFactory(code="BROWSER-WAIT", academic_hours=24)
    session = SessionFactory(
        programme=programme,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=12),
        capacity=1,
    )
    assert session.window_is_open(today)
    agency = AgencyFactory()
    other = ServantFactory(
        agency=agency, user=UserFactory(username="browser-other", role=roles.CIVIL_SERVANTS)
    )
    taken = enrolment_request(servant=other, session=session, actor=other.user)
    assert taken.status == EnrolmentStatus.ENROLLED
    return session


@pytest.fixture
def servant(full_session):
    user = UserFactory(username="browser-servant", role=roles.CIVIL_SERVANTS)
    return ServantFactory(agency=AgencyFactory(), user=user, last_name="Қасымов")


def test_join_the_waiting_list_then_withdraw(live_server, default_site, tab, full_session, servant):
    page = tab()
    session, programme = full_session, full_session.programme
    base = live_server.url

    # Log in through the real login form, coming back to the programme page.
    programme_path = f"/ru/programmes/{programme.code}/"
    page.goto(f"{base}/ru/accounts/login/?next={programme_path}")
    page.fill("#id_username", servant.user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    assert page.url == base + programme_path, page.url

    # The session is full, so its button puts us on the waiting list. Selected by the form's
    # action rather than its (translated) label.
    join = page.locator(f'form[action="/ru/sessions/{session.pk}/enrol/"] button[type=submit]')
    with page.expect_navigation():
        join.click()
    assert page.url == f"{base}/ru/my/", page.url

    enrolment = Enrolment.objects.get(servant=servant, session=session)
    assert enrolment.status == EnrolmentStatus.WAITLISTED

    row = page.locator(f'tr[data-enrolment="{enrolment.pk}"]')
    place = row.locator(".queue-place")
    place.wait_for()
    assert re.search(r"\b1\b", place.inner_text()), place.inner_text()

    # Withdraw: My learning's link (by its address; the label is translated) opens a question
    # first, and nothing changes until it is answered.
    row.locator(f'a[href="/ru/my/enrolments/{enrolment.pk}/withdraw/"]').click()
    page.wait_for_url(f"{base}/ru/my/enrolments/{enrolment.pk}/withdraw/")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WAITLISTED
    assert programme.title_ru in page.locator("main").inner_text()
    # "No, keep my place" goes back with the place kept; the second time, "Yes, withdraw".
    with page.expect_navigation():
        page.locator("main a.button.secondary").click()
    assert page.url == f"{base}/ru/my/", page.url
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WAITLISTED
    row.locator(f'a[href="/ru/my/enrolments/{enrolment.pk}/withdraw/"]').click()
    with page.expect_navigation():
        page.click('button[name="confirm"][value="yes"]')
    assert page.url == f"{base}/ru/my/", page.url
    page.locator("#upcoming-h").wait_for()
    assert page.locator(f'tr[data-enrolment="{enrolment.pk}"]').count() == 0
    assert page.locator(".queue-place").count() == 0

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    # The other servant keeps the one seat.
    assert (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .exclude(servant=servant)
        .count()
        == 1
    )
