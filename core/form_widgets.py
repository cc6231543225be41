"""Widgets of the back office's own forms (core.widgets holds the import files' cell widgets)."""

from django import forms


class DateInput(forms.DateInput):
    """A browser's date picker (`<input type="date">`). The browser reads and sends its value
    only as YYYY-MM-DD (HTML's "valid date string"), whatever the page's language: a value
    written the Russian or Kazakh way (02.12.2026, the language's DATE_INPUT_FORMATS) shows an
    empty field that blocks the form. So the value is always ISO; Django's DateField accepts
    ISO in every language. Use this for every date field of a form the project draws itself."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
