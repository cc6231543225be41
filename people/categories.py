"""Position categories of corps B of the civil service, and audience patterns over them."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Ranges as published for corps B administrative positions. A and B cover the central
# bodies; C (with O = oblast, R = rayon variants), D, E for local and territorial bodies.
_RANGES: dict[str, int] = {
    "A": 5,
    "B": 6,
    "C": 5,
    "C-O": 6,
    "C-R": 5,
    "D": 5,
    "D-O": 6,
    "E": 5,
    "E-R": 5,
    "E-G": 4,
}

CATEGORY_CODES: tuple[str, ...] = tuple(
    f"{prefix}-{n}" for prefix, top in _RANGES.items() for n in range(1, top + 1)
)
CATEGORY_CHOICES = [(code, code) for code in CATEGORY_CODES]
_CODES = frozenset(CATEGORY_CODES)
_PATTERN_RE = re.compile(r"^(?:[A-E](?:-[ORG])?-(?:\d+|\*)|[A-E](?:-[ORG])?\*?|\*)$")


def validate_category(value: str) -> None:
    if value not in _CODES:
        raise ValidationError(
            _("%(value)s is not a corps B position category (for example C-O-3, D-2, E-R-1)."),
            code="category",
            params={"value": value},
        )


def parse_audience(text: str) -> list[str]:
    return [
        part.strip().upper() for part in (text or "").replace(";", ",").split(",") if part.strip()
    ]


def validate_audience(text: str) -> None:
    for pattern in parse_audience(text):
        if pattern in _CODES:
            continue
        if not _PATTERN_RE.match(pattern):
            raise ValidationError(
                _("%(value)s is neither a category code nor a pattern such as C-O-* or D-*."),
                code="audience",
                params={"value": pattern},
            )


def category_matches(category: str, pattern: str) -> bool:
    """True when `category` (C-O-3) is covered by `pattern` (C-O-3, C-O-*, C-*, *)."""
    pattern = pattern.strip().upper()
    if pattern == "*":
        return True
    if pattern.endswith("-*"):
        prefix = pattern[:-2]
        head, _sep, _num = category.rpartition("-")
        return head == prefix
    if pattern.endswith("*"):
        return category.startswith(pattern[:-1])
    return category == pattern


def audience_includes(audience_text: str, category: str) -> bool:
    """An empty audience means everyone."""
    patterns = parse_audience(audience_text)
    return not patterns or any(category_matches(category, p) for p in patterns)


def category_above(category: str | None) -> str | None:
    """The next position category up in the same group: C-O-3 above C-O-4, D-1 above D-2 (in
    corps B a smaller number is a higher position). None for the top of a group (C-O-1, A-1)
    or a code that is not a category."""
    if not category or category not in _CODES:
        return None
    group, _sep, number = category.rpartition("-")
    return f"{group}-{int(number) - 1}" if int(number) > 1 else None
