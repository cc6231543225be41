"""iCalendar feeds built with the `icalendar` package."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from courses.models import Session


def sessions_calendar(sessions: Iterable[Session], *, name: str, private: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Biliktilik//Academy sessions//KK")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@biliktilik")
        event.add("summary", session.programme.title)
        # All-day events: the last day is exclusive in iCalendar.
        event.add("dtstart", session.starts_on)
        event.add("dtend", session.ends_on + datetime.timedelta(days=1))
        event.add("dtstamp", datetime.datetime.now(datetime.UTC))
        if session.location:
            event.add("location", session.location)
        event.add(
            "url", base + reverse("programme_detail", kwargs={"code": session.programme.code})
        )
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        if private:
            event.add("class", "PRIVATE")
        calendar.add_component(event)
    return calendar.to_ical()
