"""The busiest admin lists read their rows' related objects in the list query, not row by row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RatingFactory, ServantFactory


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/servants/", "/admin/ratings/"])
def test_an_admin_list_reads_the_same_number_of_queries_for_2_or_14_rows(
    client, hr_officer_a, agency_a, url
):
    client.force_login(hr_officer_a)
    for _ in range(2):
        RatingFactory(servant=ServantFactory(agency=agency_a))
    few = _queries(client, url)
    for quarter in range(12):  # each servant with a position of their own
        RatingFactory(servant=ServantFactory(agency=agency_a), quarter=quarter % 4 + 1)
    assert _queries(client, url) == few
