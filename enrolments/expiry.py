"""Telling people that a qualification record expires: the servant and their state body's HR
officers, once per record and expiry date (a corrected record with a new date is told again)."""

import datetime

from django.urls import reverse

from notifications.models import Kind
from notifications.services import notify_servant_and_officers

from .models import QualificationRecord

EXPIRY_NOTICE_DAYS = 90


def qualification_expiry_notify(
    *, as_of: datetime.date, within_days: int = EXPIRY_NOTICE_DAYS
) -> int:
    """Notify about every current record that expires between `as_of` and `within_days`
    later. Returns how many notifications are new (a second run the same day makes none)."""
    until = as_of + datetime.timedelta(days=within_days)
    records = (
        QualificationRecord.objects.filter(
            is_current=True, valid_until__gte=as_of, valid_until__lte=until
        )
        .select_related("servant")
        .order_by("valid_until", "pk")
    )
    officers: dict[int, list] = {}
    created = 0
    for record in records.iterator(chunk_size=500):
        servant = record.servant
        key = f"qualification_expiring:{record.pk}:{record.valid_until.isoformat()}"
        title = {code: record.title_in(code) for code in ("kk", "ru", "en")}
        params = {"title": title, "valid_until": record.valid_until.isoformat()}
        created += notify_servant_and_officers(
            servant=servant,
            kind=Kind.QUALIFICATION_EXPIRING,
            staff_kind=Kind.STAFF_QUALIFICATION_EXPIRING,
            key=key,
            params=params,
            staff_link=reverse("records:inspect", args=[record.pk]),
            officers=officers,
        )
    return created
