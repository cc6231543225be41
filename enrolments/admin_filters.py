"""Back-office list filters of the enrolments app that other screens link to."""

import django_filters
from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget


class CurrentOrReplaced(models.TextChoices):
    """The records list's "Current or replaced" filter. Its values are those of the yes/no
    filter it replaces (`?is_current=true|false`), so older links keep working."""

    CURRENT = "true", _("current only")
    REPLACED = "false", _("withdrawn or replaced")


def _filter_current(filterset, queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(is_current=value == CurrentOrReplaced.CURRENT)


def record_filters() -> dict:
    """The records list's declared filters and their methods, for `labelled_filterset(attrs=…)`:
    "Current or replaced", a choice filter with words of its own (the yes/no filter showed
    its chip as a raw "True"); and the validity as one date range (`?valid_until_from=` and
    `?valid_until_to=`, ISO dates), whose chip reads "Valid until: 07.12.2026 - 07.03.2027"
    in the reader's language (a lookup per bound read "is greater than or equal to: ISO")."""
    return {
        "valid_until": django_filters.DateFromToRangeFilter(
            label=capfirst(_("valid until")), widget=DateRangePickerWidget
        ),
        "is_current": django_filters.ChoiceFilter(
            label=_("Current or replaced"),
            choices=CurrentOrReplaced.choices,
            method="filter_current",
            # As Wagtail renders the choice filters it makes itself (a select overflowed the
            # filter drawer at 390 px).
            widget=forms.RadioSelect,
            empty_label=_("All"),
        ),
        "filter_current": _filter_current,
    }
