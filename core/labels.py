"""How values read on the back office's screens and in its spreadsheet downloads: a choice by
its label, yes/no for a boolean, a dash for nothing — in the reader's language, never the code
(`proper`, `enrolled`), nor Python's `True`, `False` or `None`.

Every viewset of the project takes `LabelledViewSetMixin` (the bases in core.backoffice and
people.admin_scoping do): its list columns, inspect view and `list_export` go through here.
Wagtail's own yes/no columns (the users list) read through the template
`wagtailadmin/tables/boolean_cell.html` in templates/.

Moments (date and time) read in the active time zone — the project's TIME_ZONE, which the
admin activates — on every screen and in the downloads: a list and the row's own page show
the same clock time. (A template shows `{{ moment }}` in local time, but the inspect view's
`{{ value|localize }}` and Wagtail's spreadsheet writers would show UTC.)"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.admin.ui.tables import BooleanColumn, Column

EMPTY = "—"


def yes_no(value) -> str:
    """ "yes"/"no" (иә/жоқ, да/нет) for a boolean, a dash for an unknown one."""
    if value is None:
        return EMPTY
    return gettext("yes") if value else gettext("no")


def local_moment(value):
    """An aware datetime in the active time zone (what people read); anything else as is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def model_field(model, path: str):
    """The model field at the end of `path` ("servant__agency__bin"), or None when the path
    names a property or method."""
    *relations, name = path.split("__")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return None


def is_boolean(field) -> bool:
    return isinstance(field, models.BooleanField) and not field.choices


def label_of(value, field=None):
    """A value as it reads: a choice by its label, a boolean as yes/no, nothing as a dash.
    Anything else is returned as it is (numbers, dates and rows keep their own display)."""
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yes_no(value)
    return value


class LabelledColumn(Column):
    """A list column whose empty cells show a dash (Wagtail leaves None as an empty cell)."""

    empty_value_display = EMPTY

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if context["value"] is None:
            context["value"] = EMPTY
        elif isinstance(context["value"], bool):
            context["value"] = yes_no(context["value"])
        return context


class LabelledIndexMixin:
    """For a Wagtail IndexView: boolean fields of `list_display` become yes/no columns, other
    plain columns show a dash for nothing (choices already read by `get_FOO_display`), and the
    CSV/XLSX downloads write labels, headings included, in the reader's language."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            field = model_field(self.model, field_name) if self.model else None
            column_class = BooleanColumn if is_boolean(field) else LabelledColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name, value in row.items():
            field = model_field(type(item), name.replace(".", "__"))
            if value is None:
                row[name] = ""
            elif field is not None and field.choices:
                row[name] = label_of(value, field)
            elif isinstance(value, bool):
                row[name] = yes_no(value)
            elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
                # Naive local time: the XLSX writer would otherwise turn it into UTC.
                row[name] = timezone.make_naive(value)
        return row

    def stream_csv(self, queryset):
        # The CSV is written while the response streams, after the admin's language (the
        # reader's) is no longer active: its headings and labels would come out in the default
        # language. The stream keeps the language of the request.
        rows = super().stream_csv(queryset)
        language = translation.get_language()
        zone = timezone.get_current_timezone()

        def in_language():
            with translation.override(language), timezone.override(zone):
                yield from rows

        return in_language()


class LabelledInspectMixin:
    """For a Wagtail InspectView: every field reads as `label_of` shows it."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return yes_no(value)
        return local_moment(value)


class LabelledViewSetMixin:
    """Gives a ModelViewSet's or SnippetViewSet's index and inspect views the label mixins
    (whatever view classes the viewset names), once."""

    def __init__(self, *args, **kwargs):
        for attr, mixin in (
            ("index_view_class", LabelledIndexMixin),
            ("inspect_view_class", LabelledInspectMixin),
        ):
            base = getattr(self, attr)
            if not issubclass(base, mixin):
                setattr(self, attr, type(f"Labelled{base.__name__}", (mixin, base), {}))
        super().__init__(*args, **kwargs)
