"""A list read logs its query parameters (the read-access log); a NUL character, which
PostgreSQL's JSON cannot hold, is left out instead of failing the read with a 500."""

import pytest

from people.models import AccessLogEntry
from tests.api.test_api import client_for


@pytest.mark.django_db
def test_a_nul_in_the_query_is_logged_without_it(hr_officer_a, servant_of_a):
    api = client_for(hr_officer_a)
    response = api.get("/api/v1/servants/", {"note": "a\x00b", "x\x00": "1"})
    assert response.status_code == 200
    assert response.json()["results"][0]["iin"] == servant_of_a.iin
    assert AccessLogEntry.objects.get().filters == {"note": "ab", "x": "1"}
