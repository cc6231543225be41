"""Template filters for figures: `{% load figures %}` then `{{ q|quarter }}`,
`{{ value|percent }}`, `{{ value|decimal }}`. The formatting itself is `core.formats`."""

from django import template

from core import formats

register = template.Library()


@register.filter
def quarter(value) -> str:
    """A (year, quarter) pair, or an object with `year` and `quarter`, as a readable quarter."""
    if value is None or value == "":
        return ""
    if isinstance(value, tuple | list):
        year, number = value
    else:
        year, number = value.year, value.quarter
    return formats.quarter_label(year, number)


@register.filter
def percent(value, places: int = 1) -> str:
    return formats.percent(value, int(places))


@register.filter
def decimal(value, places: int = 1) -> str:
    return formats.decimal(value, int(places))
