"""Every back-office screen shows a moment in the branch's time zone (settings.TIME_ZONE):
a list and the row's own page agree on the clock (issue 15: the certificate list said 5:06
and its page 0:06; the audit trail list 5:08 and its entry 0:08)."""

import datetime
import zoneinfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from certificates.models import Certificate
from certificates.services import certificate_issue

UTC_MOMENT = datetime.datetime(2026, 12, 5, 0, 6, tzinfo=datetime.UTC)


def local(moment: datetime.datetime) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).strftime("%d.%m.%Y %H:%M")


@pytest.mark.django_db
def test_the_certificate_list_and_its_page_show_the_same_local_time(
    client, completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=UTC_MOMENT)
    # As the (English) admin writes a moment: in the project's zone, and wrongly in UTC.
    with translation.override("en"):
        expected = date_format(timezone.localtime(UTC_MOMENT), "DATETIME_FORMAT")
        utc = date_format(UTC_MOMENT.replace(tzinfo=None), "DATETIME_FORMAT")
    assert expected != utc  # the project's zone is not UTC, or this test sees nothing
    client.force_login(academy_manager)
    listing = client.get(reverse("certificates:index")).content.decode()
    page = client.get(reverse("certificates:inspect", args=[certificate.pk])).content.decode()
    assert expected in listing and expected in page
    assert utc not in listing and utc not in page


@pytest.mark.django_db
def test_the_audit_trail_list_and_its_entry_show_the_same_local_time(
    client, completed_record, academy_manager, auditor
):
    # The trail is append-only on PostgreSQL (a trigger refuses updates): the entry is
    # written at that moment instead of moved there.
    with time_machine.travel(UTC_MOMENT, tick=False):
        certificate = certificate_issue(record=completed_record, actor=academy_manager)
    entry = LogEntry.objects.get_for_object(certificate).first()
    assert entry.timestamp == UTC_MOMENT
    expected = local(UTC_MOMENT)
    client.force_login(auditor)
    listing = client.get(reverse("audit_trail:index")).content.decode()
    page = client.get(reverse("audit_trail:inspect", args=[entry.pk])).content.decode()
    assert expected in listing and expected in page
    utc = UTC_MOMENT.strftime("%d.%m.%Y %H:%M")
    assert utc not in listing and utc not in page
