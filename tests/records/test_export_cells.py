"""The CSV export writes each row through one function compiled for its columns
(core.exporting._csv_row); it must write exactly what converting every cell on its own
(`_cell` after the column's `render`) writes: words in the reader's language, formulas
neutralised, date-times in ISO, empty cells empty."""

import csv
import datetime
import io

import pytest
from django.utils import translation

from cms.records import export_spec
from core.exporting import _cell, csv_chunks
from people.models import PerformanceRating, Rating
from tests.factories import AgencyFactory, PositionFactory, ServantFactory


def _cell_by_cell(queryset, columns) -> list[list[str]]:
    rows = [[str(c.header) for c in columns]]
    for row in queryset.values_list(*[c.field for c in columns]):
        rows.append(
            [_cell(c.convert(v) if c.convert else v) for c, v in zip(columns, row, strict=True)]
        )
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return list(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("kind", ["servants", "ratings"])
def test_compiled_rows_write_what_each_cell_writes(kind, language):
    agency = AgencyFactory()
    position = PositionFactory(agency=agency, title_ru="=1+1")
    dangerous = ServantFactory(
        agency=agency,
        position=position,
        last_name="=HYPERLINK(1)",
        first_name="+7701",
        middle_name="",
        email="",
        appointed_on=None,
    )
    plain = ServantFactory(agency=agency, position=None, appointed_on=datetime.date(2020, 2, 29))
    for servant, rating in ((dangerous, Rating.EFFECTIVE), (plain, Rating.UNSATISFACTORY)):
        PerformanceRating.objects.create(servant=servant, year=2025, quarter=1, rating=rating)
    with translation.override(language):
        queryset, columns = export_spec(kind)
        written = list(csv.reader(io.StringIO("".join(csv_chunks(queryset, columns, bom=False)))))
        expected = _cell_by_cell(queryset, columns)
    assert written == expected
    assert len(written) == 3
    text = "\n".join(",".join(row) for row in written)
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    if kind == "ratings":
        with translation.override(language):
            assert str(Rating.EFFECTIVE.label) in text
        assert ",effective," not in text
