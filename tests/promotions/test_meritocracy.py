"""The region's published figures: first nine months of 2024, 62 of 84 → 73.8 %; 60 % a year
earlier."""

import datetime

import pytest

from promotions.models import Competition
from promotions.selectors import meritocracy_level, year_earlier
from tests.factories import AgencyFactory


def competitions(agency, year, promoted, appointed, failed=0):
    day = datetime.date(year, 1, 10)
    made = []
    for index, outcome in enumerate(
        ["promoted"] * promoted + ["appointed"] * appointed + ["failed"] * failed
    ):
        made.append(
            Competition(
                agency=agency,
                position_title=f"Должность {index}",
                category="C-O-4",
                held_on=day + datetime.timedelta(days=index % 250),
                kind="general",
                outcome=outcome,
            )
        )
    Competition.objects.bulk_create(made)


@pytest.mark.django_db
def test_the_published_figures_for_nine_months_of_2024():
    akimat, district = AgencyFactory(), AgencyFactory()
    competitions(akimat, 2024, promoted=40, appointed=14, failed=3)
    competitions(district, 2024, promoted=22, appointed=8, failed=2)
    competitions(akimat, 2023, promoted=30, appointed=20)
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 9, 30)
    level = meritocracy_level(start=start, end=end)
    assert (level.promoted, level.held, level.percent) == (62, 84, 73.8)
    before = meritocracy_level(
        *(), **dict(zip(("start", "end"), year_earlier(start, end), strict=True))
    )
    assert before.percent == 60.0
    assert meritocracy_level(start=start, end=end, agency=district).percent == 73.3
