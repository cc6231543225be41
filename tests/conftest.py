import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from core import authorization as roles
from tests.browser import browser, default_site, tab  # noqa: F401 (fixtures for browser tests)
from tests.factories import AgencyFactory, ServantFactory, UserFactory, hr_officer_for

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_translations() -> list[Path]:
    """Compile each catalog (locale/ and locale_backoffice/, django and djangojs) whose .mo is
    missing or older, as
    `compilemessages` would (gettext's msgfmt), so a bare `pytest` on a fresh clone reads
    pages in Kazakh and Russian. Written to a temporary file and renamed: two runs at once
    never read half a catalog. Returns the catalogs compiled."""
    stale = [
        po
        for folder in (LOCALE, LOCALE.with_name("locale_backoffice"))
        for po in sorted(folder.glob("*/LC_MESSAGES/django*.po"))
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    msgfmt = shutil.which("msgfmt")
    if stale and msgfmt is None:
        warnings.warn(
            "gettext's msgfmt is missing (make setup installs it): translations not compiled",
            stacklevel=1,
        )
        return []
    for po in stale:
        mo = po.with_suffix(".mo")
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        subprocess.run([msgfmt, "--check-format", "-o", str(partial), str(po)], check=True)
        os.replace(partial, mo)
    return stale


def pytest_configure(config):
    pretend_today(os.environ.get("PRETEND_TODAY", ""))
    if compile_translations():
        # pytest-django set Django up before this hook: a catalog read then (the default
        # language's) lacks the new .mo. Forget them all, as Django does when LANGUAGES change.
        from asgiref.local import Local
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


def pytest_collection_modifyitems(config, items):
    """Browser tests run once, on PostgreSQL (`make test` runs the suite on both databases).
    On in-memory SQLite the live server's threads share one connection, and Chromium's
    parallel requests (the admin's sprite, its scripts) race on it."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    once = pytest.mark.skip(reason="browser tests run on PostgreSQL (make test runs them there)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(once)


def pretend_today(day: str) -> None:
    """`PRETEND_TODAY=2028-02-29 pytest …`: the whole run believes it is that day (from 10:00
    in the project's time zone, the clock ticking), to check the suite passes on any date —
    29 February, the last day of a year or a quarter. Python's clock only: SQLite and
    PostgreSQL keep their own."""
    if not day:
        return
    import datetime
    import zoneinfo

    import time_machine
    from django.conf import settings

    moment = datetime.datetime.combine(
        datetime.date.fromisoformat(day),
        datetime.time(10),
        tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE),
    )
    time_machine.travel(moment, tick=True).start()


@pytest.fixture
def today():
    """The local date when the test runs: read per test, never when a module is imported."""
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def agency_a(db):
    return AgencyFactory(code="akimat-a", name_ru="Акимат А", name_kk="А әкімдігі")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(code="akimat-b", name_ru="Акимат Б", name_kk="Б әкімдігі")


@pytest.fixture
def hr_officer_a(agency_a):
    """An HR officer of agency A only."""
    return hr_officer_for(agency_a, username="hr-a")


def admin_in_english(user):
    """Back-office pages follow the user's Wagtail language; tests read them in English."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def academy_manager(db):
    return admin_in_english(UserFactory(username="manager", role=roles.ACADEMY_MANAGERS))


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=roles.AUDITORS)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def servant_of_a(agency_a):
    """A civil servant of agency A with a login."""
    user = UserFactory(username="servant-a", role=roles.CIVIL_SERVANTS)
    return ServantFactory(agency=agency_a, user=user, last_name="Ахметов", first_name="Ерлан")


@pytest.fixture
def servant_of_b(agency_b):
    return ServantFactory(agency=agency_b, last_name="Жұмабаева", first_name="Айгүл")
