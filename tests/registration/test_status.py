"""The status view of a registration (compose) and `GET /api/v1/registraties/{id}`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bff.auth.identity import Medewerker
from bff.compose.registratie import compose_registratie_status
from bff.endpoints import registraties
from bff.errors import BffError, render
from bff.registration.memory import InMemoryRegistrationStore
from bff.registration.model import Registration, StepError
from tests.registration.fakes import T0, pending_registration


def failed_registration() -> Registration:
    reg = pending_registration()
    reg.status = "failed"
    reg.steps[0].status = "done"
    reg.steps[0].attempts = 1
    reg.steps[0].result = {"uuid": "kc-1", "url": "http://ok.test/klantcontacten/kc-1"}
    reg.steps[1].status = "failed"
    reg.steps[1].attempts = 1
    reg.steps[1].last_error = StepError(
        upstream="klantinteracties",
        reason="rejected",
        message="klantinteracties refused the request as built.",
        invalid_params=[{"name": "wasPartij", "code": "does_not_exist"}],
    )
    return reg


def test_status_lists_each_step_with_its_error_and_created_ids() -> None:
    body = compose_registratie_status(failed_registration()).model_dump(mode="json", by_alias=True)

    assert body["status"] == "failed"
    assert body["referentienummer"] == "0000000001"
    assert body["created"] == {
        "klantcontact": {"uuid": "kc-1", "url": "http://ok.test/klantcontacten/kc-1"}
    }
    assert body["steps"][1] == {
        "name": "betrokkene",
        "status": "failed",
        "attempts": 1,
        "dependsOn": ["klantcontact"],
        "lastError": {
            "upstream": "klantinteracties",
            "reason": "rejected",
            "message": "klantinteracties refused the request as built.",
            "invalidParams": [{"name": "wasPartij", "code": "does_not_exist"}],
        },
    }
    assert body["nextAttemptAt"] is None
    assert "payload" not in body


def test_status_shows_next_attempt_only_while_pending() -> None:
    reg = pending_registration()
    reg.next_attempt_at = T0.replace(minute=5)

    body = compose_registratie_status(reg).model_dump(mode="json", by_alias=True)

    assert body["status"] == "pending"
    assert body["nextAttemptAt"] == "2025-03-01T09:05:00Z"
    assert body["createdAt"] == "2025-03-01T09:00:00Z"


class _State:
    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = dict(self.state)
        await self.app(scope, receive, send)


async def _bff_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BffError)
    return render(exc)


@pytest.fixture
async def store() -> AsyncIterator[InMemoryRegistrationStore]:
    made = InMemoryRegistrationStore()
    yield made
    await made.close()


def client_for(store: InMemoryRegistrationStore, subject: str) -> httpx.AsyncClient:
    app = Starlette(routes=registraties.routes, exception_handlers={BffError: _bff_error})
    state = {
        "services": SimpleNamespace(registration_store=store),
        "medewerker": Medewerker(subject=subject, naam="Test Medewerker"),
    }
    transport = httpx.ASGITransport(app=_State(app, state))
    return httpx.AsyncClient(transport=transport, base_url="http://bff.test")


async def test_owner_reads_the_status_of_their_registration(
    store: InMemoryRegistrationStore,
) -> None:
    reg = await store.create(failed_registration())

    async with client_for(store, "mdw-1") as client:
        response = await client.get(f"/api/v1/registraties/{reg.id}")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["id"] == reg.id
    assert response.json()["steps"][1]["lastError"]["reason"] == "rejected"


@pytest.mark.parametrize("which", ["someone-elses", "unknown", "not-a-uuid"])
async def test_registration_is_invisible_to_others_and_unknown_ids_are_404(
    store: InMemoryRegistrationStore, which: str
) -> None:
    reg = await store.create(failed_registration())
    path = {
        "someone-elses": reg.id,
        "unknown": str(uuid.uuid4()),
        "not-a-uuid": "abc",
    }[which]

    async with client_for(store, "mdw-2") as client:
        response = await client.get(f"/api/v1/registraties/{path}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
