"""Widgets for this app's things in import files (core.widgets has the plain values)."""

from django.utils.translation import gettext as _

from core.tabular import code_cell, text_cell
from core.widgets import Widget


class AgencyWidget(Widget):
    """A state body written as its BIN or its short code (any case). Exports write the BIN.
    The table of state bodies is read once per widget (one import)."""

    lookup = "bin"

    def __init__(self):
        self._agencies = None

    def reset(self) -> None:
        self._agencies = None

    def agencies(self) -> dict:
        if self._agencies is None:
            from .models import Agency

            table = {}
            for agency in Agency.objects.all():
                table[agency.bin] = agency
                table[agency.code.casefold()] = agency
            self._agencies = table
        return self._agencies

    def clean(self, value, row=None, **kwargs):
        agency = self.agencies().get(code_cell("" if value is None else value).casefold())
        if agency is None:
            raise ValueError(
                _("no state body with code %(code)r") % {"code": text_cell(value or "")}
            )
        return agency

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "bin", value) or ""


class CategoryWidget(Widget):
    """A position category such as C-O-4 (any case). A blank cell gets the category message,
    which shows the form expected."""

    blank_is_missing = False

    def clean(self, value, row=None, **kwargs):
        from django.core.exceptions import ValidationError

        from .categories import validate_category

        category = text_cell("" if value is None else value).upper()
        try:
            validate_category(category)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        return category
