"""core.copying.CopyStream: rows streamed into a COPY while other work goes on, on PostgreSQL."""

import pytest
from django.db import connection, transaction

from core.copying import CopyStream
from people.models import Agency

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

COLUMNS = ("bin", "code", "name_kk", "name_ru", "name_en")


def agency_row(n: int) -> tuple:
    return (f"{n:012d}", f"A{n}", f"Орган {n}", f"Орган {n}", f"Body {n}")


def test_a_query_during_the_stream_sees_the_rows_sent_before_it():
    with transaction.atomic(), CopyStream(Agency._meta.db_table, COLUMNS) as stream:
        stream.write(agency_row(1))
        stream.write(agency_row(2))
        assert Agency.objects.count() == 2  # the query ended the COPY first
        stream.write(agency_row(3))  # and the next row opened a new one
    assert sorted(Agency.objects.values_list("code", flat=True)) == ["A1", "A2", "A3"]
    assert stream.rows == 3


def test_an_error_in_the_block_leaves_no_row_and_a_usable_connection():
    stream = CopyStream(Agency._meta.db_table, COLUMNS)
    with pytest.raises(ValueError), transaction.atomic(), stream:
        stream.write(agency_row(1))
        raise ValueError("a bad row further down the file")
    assert Agency.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
