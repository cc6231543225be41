"""How an audit entry (django-auditlog's LogEntry) reads in the audit trail: the model's and
fields' verbose names in the reader's language, the action's label, the actor's name, local
time to the minute, and each change as "field: before → after" with choices, related rows,
dates and yes/no shown as people read them. Presentation only: nothing here decides who sees
what (the viewset's policy does)."""

import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, DateRangePickerWidget, WagtailFilterSet

ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("viewed"),
}
_EMPTY = "—"
_SKIP = object()


def entry_time(entry) -> str:
    """The moment in the project's time zone, to the minute: 05.12.2026 13:08."""
    return date_format(timezone.localtime(entry.timestamp), "d.m.Y H:i")


def entry_actor(entry) -> str:
    user = entry.actor
    if user is not None:
        return user.get_full_name() or user.get_username()
    return entry.actor_email or gettext("the system")


def entry_action(entry) -> str:
    return str(ACTIONS.get(entry.action, entry.action))


def entry_model(entry) -> str:
    model = _model(entry)
    return capfirst(model._meta.verbose_name) if model else entry.content_type.model


def entry_source(entry) -> str:
    """Where a bulk change came from (a ratings import or the API), if the entry says."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    via, batch = data.get("via"), data.get("import_batch")
    if via == "api":
        return gettext("the API (import no. %(batch)s)") % {"batch": batch}
    if via == "import":
        return gettext("a file import (no. %(batch)s)") % {"batch": batch}
    return ""


def entry_changes(entry) -> list[str]:
    """Each change as one line: "field label: before → after"."""
    model = _model(entry)
    changes = entry.changes if isinstance(entry.changes, dict) else entry.changes_dict
    lines = []
    for name, values in (changes or {}).items():
        field = _field(model, name)
        if field is _SKIP:
            continue
        label = capfirst(field.verbose_name) if field is not None else name
        if isinstance(values, dict):  # a many-to-many change
            sign = "+" if values.get("operation") == "add" else "−"
            objects = ", ".join(str(o) for o in values.get("objects", []))
            lines.append(f"{label}: {sign} {objects}")
            continue
        old, new = (list(values) + [None, None])[:2]
        lines.append(f"{label}: {_value(field, old)} → {_value(field, new)}")
    return lines


def entry_changes_html(entry):
    return format_html_join("", "<div>{}</div>", ((line,) for line in entry_changes(entry)))


def _model(entry):
    return entry.content_type.model_class()


def _field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if (field.auto_created and not field.concrete) or getattr(field, "primary_key", False):
        return _SKIP  # a reverse relation ("…None") or the row's own id: nothing to read
    return field


def _value(field, value) -> str:
    if value in (None, "None", ""):
        return _EMPTY
    text = str(value)
    if field is None:
        return text
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    internal = field.get_internal_type()
    if internal == "BooleanField":
        return gettext("yes") if text == "True" else gettext("no") if text == "False" else text
    if internal == "DateTimeField" and (moment := parse_datetime(text)):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.UTC)
        return date_format(timezone.localtime(moment), "d.m.Y H:i")
    if internal == "DateField" and (day := parse_date(text)):
        return date_format(day, "d.m.Y")
    if field.many_to_one or field.one_to_one:
        related = field.related_model._default_manager.filter(pk=text).first()
        return str(related) if related is not None else f"#{text}"
    return text


class AuditTrailFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("action"), choices=list(ACTIONS.items()), empty_label=_("all")
    )
    content_type = ContentTypeFilter(label=_("record type"), queryset=ContentType.objects.none())
    timestamp = django_filters.DateFromToRangeFilter(label=_("date"), widget=DateRangePickerWidget)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The audited models only, named in the reader's language.
        from auditlog.registry import auditlog

        types = ContentType.objects.get_for_models(*auditlog.get_models()).values()
        self.filters["content_type"].queryset = ContentType.objects.filter(
            pk__in=[t.pk for t in types]
        )

    class Meta:
        model = LogEntry
        fields = []
