"""Values stored once per language (`title_kk`, `title_ru`, `title_en`)."""

from django.utils.translation import get_language


def localized_field(obj, name: str, language: str | None = None) -> str:
    """The value of `name_<lang>` for the active language, falling back kk → ru → en."""
    lang = (language or get_language() or "kk")[:2]
    for code in (lang, "kk", "ru", "en"):
        value = getattr(obj, f"{name}_{code}", "")
        if value:
            return value
    return ""


# Letters of the Kazakh Cyrillic alphabet that Russian does not have.
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def language_of(text: str) -> str:
    """The language a name is written in, by its letters: "kk" when it has a letter only
    Kazakh uses (ә ғ қ ң ө ұ ү һ і), "ru" for other Cyrillic, "en" for Latin letters only.
    Text without letters (digits, punctuation, nothing) counts as Russian, the language
    single-language names were kept in."""
    cyrillic = latin = False
    for char in text:
        if char in KAZAKH_LETTERS:
            return "kk"
        if "\u0400" <= char <= "\u04ff":
            cyrillic = True
        elif char.isascii() and char.isalpha():
            latin = True
    if latin and not cyrillic:
        return "en"
    return "ru"
