"""Calendar arithmetic shared by the rules: months and years that land on real days, quarters."""

import datetime

Quarter = tuple[int, int]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` (negative goes back); the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def quarter_of(day: datetime.date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year - 1, 4) if q == 1 else (year, q - 1)


def next_quarter(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year + 1, 1) if q == 4 else (year, q + 1)


def quarter_end(quarter: Quarter) -> datetime.date:
    year, q = quarter
    return add_months(datetime.date(year, 3 * q, 1), 1) - datetime.timedelta(days=1)


def last_complete_quarters(as_of: datetime.date, count: int) -> list[Quarter]:
    """The `count` quarters before the one containing `as_of`, oldest first."""
    quarters, current = [], previous_quarter(quarter_of(as_of))
    for _index in range(count):
        quarters.append(current)
        current = previous_quarter(current)
    return list(reversed(quarters))


def quarter_label(quarter: Quarter) -> str:
    """The quarter as a reader of the active language writes it (see `core.formats`)."""
    from .formats import quarter_label as label

    return label(*quarter)
