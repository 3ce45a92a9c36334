"""`api_document()` (what `make client` turns into TypeScript) is what the app serves."""

from __future__ import annotations

from bff.app import api_document
from tests.helpers.harness import start_bff


async def test_the_document_for_the_typescript_client_is_the_served_one() -> None:
    async with start_bff() as bff:
        served = (await bff.client.get("/openapi.json")).json()
    assert api_document() == served
