"""Property-based run of schemathesis against our OpenAPI schema: no 5xx, and every response
matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import ServantFactory


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    database connection — fatal inside a test transaction. Django's test client disconnects
    it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def hr_token(hr_officer_a, agency_a):
    ServantFactory(agency=agency_a)
    return Token.objects.get_or_create(user=hr_officer_a)[0].key


def _load_schema():
    # Loaded from the running app (the schema view needs no database). schemathesis'
    # lazy `from_fixture` loader does not work with pytest 9, hence the import-time load.
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_the_api_keeps_its_schema(case, hr_token):
    response = case.call(headers={"Authorization": f"Token {hr_token}"})
    assert response.status_code < 500, response.text[:500]
    # The two properties we promise: no server errors, and every response matches the
    # schema. (The auth-bypass check does not apply: we send a real token on purpose.)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
