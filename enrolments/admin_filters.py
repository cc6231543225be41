"""Back-office list filters of the enrolments app that other screens link to."""

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _


class CurrentOrReplaced(models.TextChoices):
    """The records list's "Current or replaced" filter. Its values are those of the yes/no
    filter it replaces (`?is_current=true|false`), so older links keep working."""

    CURRENT = "true", _("current only")
    REPLACED = "false", _("withdrawn or replaced")


def _filter_current(filterset, queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(is_current=value == CurrentOrReplaced.CURRENT)


def current_or_replaced_filter() -> dict:
    """The filter and its method, for `labelled_filterset(attrs=…)`: a choice filter with
    words of its own (the yes/no filter showed its chip as a raw "True")."""
    return {
        "is_current": django_filters.ChoiceFilter(
            label=_("Current or replaced"),
            choices=CurrentOrReplaced.choices,
            method="filter_current",
        ),
        "filter_current": _filter_current,
    }
