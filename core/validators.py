"""IIN (individuals) and BIN (organisations) of Kazakhstan: 12 digits with a control digit.

The control digit is the sum of the first 11 digits weighted 1..11, mod 11. If that gives 10,
the weights 3..11,1,2 are used instead; if that gives 10 too, the number is never issued.
Since 2013 the date part need not match the birth date, so we never compare them.
"""

from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Both sets of weights add up to 66: the digits' ASCII codes (48 + d) weighted and summed
# exceed the weighted digits by 48 × 66 (imports check one IIN per row: this runs 100k times).
_ASCII_ZERO_WEIGHTED = 48 * sum(_FIRST_WEIGHTS)
assert sum(_SECOND_WEIGHTS) == sum(_FIRST_WEIGHTS)


def control_digit(first_eleven: str) -> int | None:
    """The control digit for 11 leading digits, or None when no valid number has them."""
    if len(first_eleven) != 11 or not (first_eleven.isascii() and first_eleven.isdigit()):
        raise ValueError(f"{first_eleven!r} is not 11 digits")
    return _control_digit(first_eleven.encode("ascii"))


def _control_digit(codes: bytes) -> int | None:
    check = (sum(map(mul, codes, _FIRST_WEIGHTS)) - _ASCII_ZERO_WEIGHTED) % 11
    if check == 10:
        check = (sum(map(mul, codes, _SECOND_WEIGHTS)) - _ASCII_ZERO_WEIGHTED) % 11
        if check == 10:
            return None
    return check


def is_valid_12_digit_number(value: str) -> bool:
    if not isinstance(value, str) or len(value) != 12 or not value.isascii():
        return False
    if not value.isdigit():
        return False
    codes = value.encode("ascii")
    return _control_digit(codes[:11]) == codes[11] - 48


def _explain(value, label: str):
    value = "" if value is None else str(value)
    if len(value) != 12:
        raise ValidationError(
            _("%(label)s must have exactly 12 digits (got %(count)d characters)."),
            code="length",
            params={"label": label, "count": len(value)},
        )
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            _("%(label)s may contain digits only."), code="digits", params={"label": label}
        )
    if control_digit(value[:11]) is None:
        raise ValidationError(
            _("%(label)s %(value)s cannot exist: its control digit is undefined."),
            code="never_issued",
            params={"label": label, "value": value},
        )
    if not is_valid_12_digit_number(value):
        raise ValidationError(
            _("%(label)s %(value)s has a wrong control digit."),
            code="checksum",
            params={"label": label, "value": value},
        )


def validate_iin(value) -> None:
    if not is_valid_12_digit_number(value):
        _explain(value, _("IIN"))


def validate_bin(value) -> None:
    if not is_valid_12_digit_number(value):
        _explain(value, _("BIN"))


MASK_VISIBLE_DIGITS = 4


def mask_iin(value: str) -> str:
    """The last 4 digits only, for public pages: ``••••••••2728``.

    Digits 1-6 are the birth date (YYMMDD) and digit 7 the century and sex, so none of them
    may show; digits 9-11 are a registration serial and 12 the control digit, which say
    nothing about the person. Four digits are enough to compare with an identity card.
    """
    value = value or ""
    if len(value) <= MASK_VISIBLE_DIGITS * 2:
        return "•" * len(value)
    return "•" * (len(value) - MASK_VISIBLE_DIGITS) + value[-MASK_VISIBLE_DIGITS:]
