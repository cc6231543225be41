"""The widgets of the import/export kinds: each cleans one cell of a file (raising ValueError
with a message for a person, which django-import-export reports against the cell's column) and
renders one value for an export, in the reader's language, in a form the import reads back.

Widgets for things of the upper layers (a state body by BIN or code) live in those apps and
build on these."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from import_export import widgets

from .exporting import FORMULA_STARTS
from .tabular import code_cell, parse_date, parse_int, text_cell
from .validators import validate_bin, validate_iin


class Widget(widgets.Widget):
    coerce_to_string = True

    """`lookup` is what an export reads for a column whose attribute is a relation ("bin" for
    a state body: the column reads `agency__bin`); empty for plain values."""

    lookup = ""
    # A blank cell of a required column is reported as "this field is required"
    # (core.resources.Column.clean); False for a widget whose own message for it is better.
    blank_is_missing = True

    def clean(self, value, row=None, **kwargs):
        return value

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value

    def labels(self) -> dict | None:
        """For a widget that renders a few values as words: {value: its text in the active
        language}, which an export looks up instead of calling `render` for every row
        (None, empty and unknown values render as `render` does)."""
        return None


class TextWidget(Widget):
    """Text, stripped; XLSX numbers like 791028302728.0 come back as digits. `empty` is the
    message for an empty cell of a column that must be filled (None: empty is allowed).
    The apostrophe an export puts before a cell a spreadsheet would take for a formula
    (core.exporting.neutralise) is taken off again, so "+7701…" re-imports as it was."""

    def __init__(self, *, empty=None, max_length=None):
        self.empty = empty
        self.max_length = max_length
        self.blank_is_missing = empty is None  # else `empty` words it ("the last name is empty")

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else text_cell(value)
        if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
            text = text[1:]
        if not text and self.empty is not None:
            raise ValueError(str(self.empty))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("%(value)r is longer than %(limit)s characters")
                % {"value": text[:40] + "…", "limit": self.max_length}
            )
        return text


class _CodeWidget(Widget):
    """A 12-digit code with its control digit. Spreadsheets store 000721666537 as the number
    721666537: a number gets its leading zeros back."""

    validator = staticmethod(validate_iin)

    def __init__(self, *, lookup: str = ""):
        self.lookup = lookup  # "iin" for a column naming a person (exports read servant__iin)

    def clean(self, value, row=None, **kwargs):
        code = code_cell("" if value is None else value)
        try:
            self.validator(code)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        return code


class IinWidget(_CodeWidget):
    validator = staticmethod(validate_iin)


class BinWidget(_CodeWidget):
    validator = staticmethod(validate_bin)


class DateWidget(Widget):
    """YYYY-MM-DD or DD.MM.YYYY (or a spreadsheet date). Exports write the date as it is:
    YYYY-MM-DD in CSV and JSON, a date cell in XLSX (both read back by `clean`)."""

    def __init__(self, *, not_after_today=False):
        self.not_after_today = not_after_today

    def clean(self, value, row=None, **kwargs):
        day = parse_date("" if value is None else value)
        if self.not_after_today:
            from django.utils import timezone

            if day > timezone.localdate():
                raise ValueError(_("the date is in the future"))
        return day


class IntegerWidget(Widget):
    """A whole number between `low` and `high` (a year, a quarter, academic hours)."""

    def __init__(self, *, low: int, high: int):
        self.low, self.high = low, high

    def clean(self, value, row=None, **kwargs):
        return parse_int("" if value is None else value, low=self.low, high=self.high)


class _EmailValidator(EmailValidator):
    """Django's e-mail validator, remembering its verdict on each domain: a file's addresses
    share a few domains, and the domain check (a regex, then IDNA) is most of its cost."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._domains: dict[str, bool] = {}

    def validate_domain_part(self, domain_part):
        valid = self._domains.get(domain_part)
        if valid is None:
            valid = super().validate_domain_part(domain_part)
            if len(self._domains) < 10_000:
                self._domains[domain_part] = valid
        return valid


_validate_email = _EmailValidator()


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text:
            try:
                _validate_email(text)
            except ValidationError:
                raise ValueError(
                    _("%(value)r is not an e-mail address") % {"value": text}
                ) from None
        return text


def _words(text) -> str:
    return " ".join(str(text).casefold().split())


class WordsWidget(Widget):
    """A code written as a word: the code itself, its label in Kazakh, Russian or English, or
    any other wording given (`aliases`: {code: (words…)}). Exports write the label in the
    reader's language, which the import reads back. `choices` are the model's choices (their
    labels are lazy translations); `hint` is the message for a word nobody knows."""

    def __init__(self, choices, *, aliases=None, hint=None, prefixes=(), suffixes=()):
        self.choices = list(choices)
        self.aliases = aliases or {}
        self.hint = hint
        self.prefixes = tuple(_words(p) for p in prefixes)
        self.suffixes = tuple(_words(s) for s in suffixes)
        self._lookup = None

    def lookup_table(self) -> dict[str, str]:
        if self._lookup is None:
            from django.conf import settings
            from django.utils import translation

            table = {}
            for code, label in self.choices:
                table[_words(code)] = code
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        table[_words(label)] = code
                for word in self.aliases.get(code, ()):
                    table[_words(word)] = code
            self._lookup = table
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = _words("" if value is None else text_cell(value))
        for prefix in self.prefixes:
            if text.startswith(prefix):
                text = text[len(prefix) :].strip()
        for suffix in self.suffixes:
            text = text.removesuffix(suffix).strip()
        code = self.lookup_table().get(text)
        if code is None:
            raise ValueError(
                str(self.hint % {"value": text_cell(value or "")})
                if self.hint
                else _("%(value)r is not one of: %(choices)s")
                % {
                    "value": text_cell(value or ""),
                    "choices": ", ".join(str(label) for _code, label in self.choices),
                }
            )
        return code

    def render(self, value, obj=None, **kwargs):
        for code, label in self.choices:
            if code == value:
                return str(label)
        return "" if value is None else value

    def labels(self) -> dict:
        return {code: str(label) for code, label in reversed(self.choices)}


class BooleanWidget(Widget):
    """Yes/no in the reader's language on export."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("yes") if value else _("no")

    def labels(self) -> dict:
        return {True: _("yes"), False: _("no")}
