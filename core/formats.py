"""Figures as a reader of each language expects them: quarters, percentages, decimals.

One place, so that "2026 ж. 3-тоқсан", "3 квартал 2026 г." and "Q3 2026" are written the same
way on the public site, in the back office, in PDFs and in the readable parts of exports.
Codes inside import/export files are not formatted here: those stay re-importable.
"""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, pgettext


def quarter_label(year: int, quarter: int) -> str:
    """A quarter in the active language: kk "2026 ж. 3-тоқсан", ru "3 квартал 2026 г.",
    en "Q3 2026"."""
    # Translators: a quarter of a year as shown to readers, e.g. "Q3 2026".
    return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


def decimal(value: float | int | Decimal | None, places: int = 1) -> str:
    """`value` with at most `places` decimals in the active language's form (73,8 / 73.8);
    a whole number without decimals (60)."""
    if value is None:
        return ""
    return str(floatformat(value, -places))


def percent(value: float | int | Decimal | None, places: int = 1) -> str:
    """A percentage in the active language's form: kk/ru "73,8 %" (with a non-breaking
    space), en "73.8%". None reads as a dash."""
    if value is None:
        return "—"
    # Translators: a percentage; keep %(value)s and %% (the sign). Russian and Kazakh put a
    # non-breaking space before the sign, English none.
    return pgettext("percentage", "%(value)s %%") % {"value": decimal(value, places)}
