"""The annual report is a report: with a replica configured it reads the replica."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.routers import REPLICA

from .conftest import YEAR

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])


def test_the_annual_report_reads_its_figures_from_the_replica(
    settings, client, seeded_year, academy_manager
):
    settings.REPORTS_DATABASE = REPLICA
    client.force_login(academy_manager)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        page = client.get(reverse("reports_annual"), {"year": YEAR})
    # The stand-in replica holds none of the primary's records: the page shows its zeros.
    assert page.context["report"].total.people == 0
    assert any("enrolments_qualificationrecord" in q["sql"] for q in replica.captured_queries)
