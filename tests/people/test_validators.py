import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.validators import (
    control_digit,
    is_valid_12_digit_number,
    mask_iin,
    validate_bin,
    validate_iin,
)


@pytest.mark.parametrize("iin", ["791028302728", "061211600012"])
def test_it_accepts_the_valid_iins_from_the_design(iin):
    validate_iin(iin)
    assert is_valid_12_digit_number(iin)


def test_it_uses_the_second_weights_when_the_first_pass_gives_ten():
    # 06121160001: first pass sums to 10 mod 11, the second pass gives 2.
    first = "06121160001"
    assert sum(int(d) * w for d, w in zip(first, range(1, 12), strict=True)) % 11 == 10
    assert control_digit(first) == 2


def test_it_rejects_a_wrong_control_digit_and_says_so_in_the_users_language():
    with pytest.raises(ValidationError) as err:
        validate_iin("123456789012")
    assert err.value.code == "checksum"
    with translation.override("en"):
        assert "IIN 123456789012 has a wrong control digit" in str(err.value)
    with translation.override("ru"):
        assert "ИИН 123456789012" in str(err.value)


def test_it_rejects_numbers_whose_both_passes_give_ten():
    # Find an 11-digit prefix for which neither weighting gives a digit: never issued.
    prefix = next(
        f"7910283{n:04d}" for n in range(10000) if control_digit(f"7910283{n:04d}") is None
    )
    for last in "0123456789":
        with pytest.raises(ValidationError) as err:
            validate_iin(prefix + last)
        assert err.value.code == "never_issued"


@pytest.mark.parametrize("value", ["79102830272", "7910283027281", "", None])
def test_it_rejects_the_wrong_length(value):
    with pytest.raises(ValidationError) as err:
        validate_iin(value)
    assert err.value.code == "length"


@pytest.mark.parametrize("value", ["79102830272O", "7910283027 8", "７９１０２８３０２７２８"])
def test_it_rejects_letters_spaces_and_non_ascii_digits(value):
    with pytest.raises(ValidationError) as err:
        validate_iin(value)
    assert err.value.code == "digits"


def test_it_never_compares_the_iin_with_a_birth_date():
    # 791028302728 "says" 1979-10-28; any stored birth date is irrelevant to validity.
    validate_iin("791028302728")


def test_bin_uses_the_same_control_digit():
    validate_bin("940140000385")
    with pytest.raises(ValidationError):
        validate_bin("940140000386")


def test_masking_shows_no_part_of_the_birth_date():
    # Digits 1-6 are YYMMDD and 7 the century and sex: only the serial's tail and the
    # control digit show.
    assert mask_iin("791028302728") == "••••••••2728"
    assert mask_iin("") == ""
    assert mask_iin("1234") == "••••"
