"""Shared pieces of the hand-over tests: the two agents, and writing straight to the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bff.sandbox.app import BASE_PATHS
from tests.helpers.harness import Bff

DIRK = {"subject": "mdw-dirk", "naam": "Dirk Visser", "email": "dirk.visser@gemeente.example"}
"""Agent 2: the colleague at vergunningen (a demo medewerker with an actor already)."""


def dirk(bff: Bff, *, vertrouwelijk: bool = False) -> dict[str, str]:
    if vertrouwelijk:
        return bff.auth_vertrouwelijk(**DIRK)
    return bff.auth(**DIRK)


@asynccontextmanager
async def sandbox_klantinteracties(bff: Bff) -> AsyncIterator[httpx.AsyncClient]:
    """The sandbox's Klantinteracties API itself, as another application would call it."""
    token = bff.sandbox.credentials.klantinteracties_token
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=bff.sandbox.asgi()),
        base_url=f"http://sandbox{BASE_PATHS['klantinteracties']}/",
        headers={"Authorization": f"Token {token}"},
    ) as client:
        yield client


def actor_uuid(bff: Bff, naam: str) -> str:
    store = bff.sandbox.klantinteracties.actoren
    return next(a["uuid"] for a in store.values() if a["naam"] == naam)
