"""Schemathesis against `/openapi.json`: every operation answers as its document says.

The BFF runs in-process over a private copy of the demo sandbox; schemathesis reaches it
through its ASGI transport, which also runs the app's lifespan (in its own event-loop
thread, where the requests are served too) and puts the lifespan state in every scope.
Each operation gets `MAX_EXAMPLES` generated requests with a valid bearer token, valid
(positive) and, where the operation takes input, invalid (negative) ones; an operation
on `{id}` also gets a run on a real id of the demo data, so it is fuzzed past the 404.
Checked (schemathesis' default checks): no 5xx, documented status codes, content types,
headers and response bodies, 4xx for invalid input, 401 when the token is left out. Not
checked: `positive_data_acceptance` (a schema-valid BSN may still fail its 11-proef: 422
is the right answer there, and a JSON schema cannot say so). Hypothesis is derandomised
and keeps no example database, so a CI failure reproduces locally as is. The run stops
starting operations after `BUDGET_S` and reports the ones it skipped as failures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.result import Ok
from schemathesis.python import asgi as schemathesis_asgi

from bff.app import create_app
from bff.sandbox.app import Sandbox
from tests.helpers.auth import bearer, make_issuer, with_issuer
from tests.helpers.harness import DEMO_BSN, bff_settings, demo_sandbox
from tests.helpers.logcapture import capturing_logs

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 30
BUDGET_S = 240.0  # the whole run; operations after it are reported as not run


def _known_ids(sandbox: Sandbox) -> dict[str, str]:
    """A real id per collection, so fuzzing reaches past the 404 of a random id."""
    ki = sandbox.klantinteracties
    partij = next(
        i["partij"] for i in ki.partij_identificatoren.values() if i["objectId"] == DEMO_BSN
    )
    klantcontacten = {
        b["hadKlantcontact"] for b in ki.betrokkenen.values() if b["wasPartij"] == partij
    }
    return {
        "partijen": partij,
        "klantcontacten": next(
            k["uuid"]
            for k in ki.klantcontacten.values()
            if k["uuid"] in klantcontacten and not k["vertrouwelijk"]
        ),
        "interne-taken": next(
            t["uuid"] for t in ki.internetaken.values() if t["status"] == "te_verwerken"
        ),
    }


def _runs(
    operation: Any, known: dict[str, str]
) -> list[tuple[str, GenerationMode, dict[str, Any]]]:
    """(label, mode, fixed path parameters) for each fuzz run of one operation."""
    takes_input = list(operation.iter_parameters()) or len(operation.body) > 0
    modes = (
        [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
        if takes_input
        else [GenerationMode.POSITIVE]
    )
    runs: list[tuple[str, GenerationMode, dict[str, Any]]] = [(m.value, m, {}) for m in modes]
    segments = operation.path.split("/")
    if "{id}" in segments:
        collection = segments[segments.index("{id}") - 1]
        if collection in known:
            runs.append(
                (
                    f"{collection} {known[collection]}",
                    GenerationMode.POSITIVE,
                    {"id": known[collection]},
                )
            )
    return runs


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    path_parameters: dict[str, Any],
    headers: Callable[[], dict[str, str]],
) -> None:
    @given(
        case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)
    )
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers(), excluded_checks=[positive_data_acceptance])

    check()


def test_every_operation_answers_as_the_openapi_document_says() -> None:
    sandbox = demo_sandbox()
    known = _known_ids(sandbox)
    issuer = make_issuer()
    bff_config = bff_settings(sandbox, issuer)
    transport = httpx.ASGITransport(app=with_issuer(sandbox.asgi(), issuer))
    app = create_app(bff_config, transport=transport)
    failures: list[str] = []
    ran: list[str] = []
    started = time.monotonic()
    with capturing_logs(bff_config) as logs:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        try:
            for result in schema.get_all_operations():
                if not isinstance(result, Ok):
                    failures.append(f"the document has an invalid operation: {result.err()}")
                    continue
                operation = result.ok()
                for name, mode, path_parameters in _runs(operation, known):
                    label = f"{operation.label} [{name}]"
                    if time.monotonic() - started > BUDGET_S:
                        failures.append(f"{label}: not run, the {BUDGET_S:.0f} s budget is spent")
                        continue
                    try:
                        _fuzz(operation, mode, path_parameters, lambda: bearer(issuer))
                    except Exception as exc:  # one report for all operations
                        failures.append(f"{label}: {exc}")
                    ran.append(label)
        finally:
            schemathesis_asgi.shutdown_lifespans()
    assert ran, "the OpenAPI document has no operations"
    assert not failures, "\n\n".join(failures)
    served = logs.names().count("request")
    assert served >= len(ran) * 2, f"only {served} requests reached the app"
    logs.assert_no_personal_data()
