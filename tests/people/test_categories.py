import pytest
from django.core.exceptions import ValidationError

from people.categories import (
    CATEGORY_CODES,
    audience_includes,
    category_matches,
    validate_audience,
    validate_category,
)


def test_the_corps_b_codes_cover_the_published_ranges():
    for code in ["C-1", "C-5", "C-O-6", "C-R-5", "D-5", "D-O-6", "E-5", "E-R-5", "E-G-4"]:
        assert code in CATEGORY_CODES
    for code in ["C-6", "C-O-7", "E-G-5", "F-1", "c-o-1"]:
        assert code not in CATEGORY_CODES


@pytest.mark.parametrize("value", ["C-O-7", "X-1", "", "C-O"])
def test_it_rejects_unknown_categories(value):
    with pytest.raises(ValidationError):
        validate_category(value)


@pytest.mark.parametrize(
    ("category", "pattern", "expected"),
    [
        ("C-O-3", "C-O-3", True),
        ("C-O-3", "C-O-*", True),
        ("C-O-3", "C-*", False),  # C-* is C-1..C-5, not the oblast variants
        ("C-3", "C-*", True),
        ("C-O-3", "C*", True),
        ("D-O-1", "C-O-*", False),
        ("E-G-2", "*", True),
    ],
)
def test_audience_patterns(category, pattern, expected):
    assert category_matches(category, pattern) is expected


def test_an_empty_audience_is_everyone():
    assert audience_includes("", "E-R-4")
    assert audience_includes("C-O-*, D-2", "D-2")
    assert not audience_includes("C-O-*, D-2", "D-3")


def test_it_rejects_a_bad_audience_pattern_naming_it():
    with pytest.raises(ValidationError) as err:
        validate_audience("C-O-*, Q-9")
    assert "Q-9" in str(err.value)
