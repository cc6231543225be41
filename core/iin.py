"""Making valid IINs and BINs (demo data, scale data, tests)."""

import datetime
import random

from .validators import control_digit


def make_iin(rng: random.Random, *, born: datetime.date | None = None, female: bool = False) -> str:
    """A valid IIN: YYMMDD, century/sex digit, 4 serial digits, control digit."""
    while True:
        day = born or datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 13000))
        century = (3 if day.year < 2000 else 5) + (1 if female else 0)
        first = f"{day:%y%m%d}{century}{rng.randrange(0, 10000):04d}"
        check = control_digit(first)
        if check is not None:
            return f"{first}{check}"


def make_bin(rng: random.Random, *, registered: datetime.date | None = None) -> str:
    """A valid BIN: YYMM, type digit 4 (legal entity), 0, 5 serial digits, control digit."""
    while True:
        day = registered or datetime.date(1992, 1, 1) + datetime.timedelta(
            days=rng.randrange(0, 10000)
        )
        first = f"{day:%y%m}40{rng.randrange(0, 100000):05d}"
        check = control_digit(first)
        if check is not None:
            return f"{first}{check}"
