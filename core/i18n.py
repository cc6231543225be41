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
