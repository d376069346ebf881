"""A bounded schemathesis run over every operation of the API, as `admin` of the test world: a few generated
requests per operation (fitting the document and not), the same ones every run, and for each answer no 5xx, a status
the operation declares and a body that fits its schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from bangfu.core.models import ApiToken
from bangfu.wsgi import application

pytestmark = pytest.mark.django_db

# The coverage phase would send every boundary case the document defines (thousands of requests); the examples and
# fuzzing phases, bounded by max-examples, keep the run to a couple of minutes.
CONFIG = schemathesis.Config.from_dict({
    "seed": 20261206,
    "phases": {"coverage": {"enabled": False}},
    "generation": {"max-examples": 5, "deterministic": True},
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def connection_kept():
    """A WSGI request closes the database connection when it ends (`close_old_connections`), and with it the test's
    transaction on PostgreSQL; Django's test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation(case, world, connection_kept):
    token = ApiToken.objects.issue(world.users["admin"])
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
