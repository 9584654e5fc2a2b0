"""Schemathesis against the API's own OpenAPI document, with every check it has.

One seeded case (the reference case, run live) and a token of a Steering Committee
member who holds it now, with every scope, MFA and administrator rights. For each
operation schemathesis generates valid requests (positive) and invalid ones
(negative); a generated case id that fits the pattern is pointed at the seeded case
so that actions reach the engine and the services. Every response is checked:
no server error, status documented, body and headers as the schema says, valid data
accepted, invalid data refused, authentication not ignored, unsupported methods 405.

The figures (operations, requests, failures) are printed and written to
test-artifacts/schemathesis.json; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("DOCKET_SCHEMATHESIS_EXAMPLES", "8"))
LAST = ("/conflict-declare", "/access-revoke")
PUBLIC_ID = re.compile(r"^[0-9A-Z]{8,24}$")
# Valid data may still be refused by a service with 400 (a person id that fits the
# pattern but names no one, a reference already in use, a file of a refused type):
# documented answers, not crashes.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "413", "415"]
            }
        }
    }
)


@pytest.fixture
def keep_connection():
    """Django closes the connection after each WSGI request; the test database lives in
    this test's transaction, so keep it open (as Django's test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_errors_and_no_schema_violations(
    reference, league, account_for, token_for, keep_connection
):
    seeded = reference.case.public_id
    user = account_for(league.person("S5"), admin=True)
    secret = token_for(user)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)
    headers = {"Authorization": f"Bearer {secret}"}
    figures = {"operations": 0, "requests": 0, "failures": 0, "by_status": {}}
    failures: list[str] = []
    started = time.monotonic()

    def point_at_seeded(case: schemathesis.Case) -> None:
        params = case.path_parameters or {}
        value = params.get("case_id")
        if isinstance(value, str) and PUBLIC_ID.match(value):
            params["case_id"] = seeded

    def exercise(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @hsettings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            point_at_seeded(case)
            figures["requests"] += 1
            try:
                response = case.call_and_validate(headers=headers)
            except (AssertionError, FailureGroup) as failure:
                figures["failures"] += 1
                failures.append(f"{operation.label} [{mode.value}]: {str(failure)[:1500]}")
                return
            key = str(response.status_code)
            figures["by_status"][key] = figures["by_status"].get(key, 0) + 1

        run()

    # Steps that can take the caller off the case (recusing themselves, ending a grant)
    # go last, so that the other operations meet the case while it is still theirs.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: op.path.endswith(LAST),
    )
    for operation in operations:
        figures["operations"] += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            exercise(operation, mode)

    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["examples_per_mode"] = EXAMPLES
    out = Path(django_settings.PROJECT_DIR) / "test-artifacts" / "schemathesis.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**figures, "failure_details": failures}, indent=2))
    print(f"\nschemathesis: {json.dumps(figures)}")
    assert failures == [], "\n\n".join(failures[:10])
