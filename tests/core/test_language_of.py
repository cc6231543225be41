"""core.i18n.language_of: which language a name is written in, by its letters."""

import pytest

from core.i18n import language_of


@pytest.mark.parametrize(
    "text",
    [
        "Сыбайлас жемқорлыққа қарсы іс-қимыл",
        "Мемлекеттік қызмет этикасы",
        "Цифрлық дағдылар",
        "Басқару және көшбасшылық",
        "ҮКІМЕТ",  # capitals
        "Академия ұйымы",  # one Kazakh letter is enough
        "Һ",
    ],
)
def test_a_text_with_a_letter_only_kazakh_has_is_kazakh(text):
    assert language_of(text) == "kk"


@pytest.mark.parametrize(
    "text",
    [
        "Противодействие коррупции",
        "Основы государственного аудита, 2-й модуль",
        "НАО «Правительство для граждан»",
        "Курс Excel для госслужащих",  # Cyrillic with a Latin word stays Russian
        "Мемлекет",  # a Kazakh word without Kazakh-only letters: read as Russian
    ],
)
def test_other_cyrillic_is_russian(text):
    assert language_of(text) == "ru"


@pytest.mark.parametrize("text", ["Anti-corruption", "Project management 101", "OECD Academy"])
def test_latin_letters_only_is_english(text):
    assert language_of(text) == "en"


@pytest.mark.parametrize("text", ["", "   ", "2025", "—"])
def test_text_without_letters_counts_as_russian(text):
    assert language_of(text) == "ru"
