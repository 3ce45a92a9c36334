"""Third-party loggers stay quiet too: httpx would log upstream URLs, BSN filters included."""

from __future__ import annotations

import logging

import pytest

from tests.helpers.harness import DEMO_BSN, start_bff
from tests.helpers.personal_data import demo_personal_values


async def test_no_stdlib_log_record_holds_personal_data_even_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with start_bff() as bff:
            r = await bff.client.post(
                "/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth()
            )
    assert r.status_code == 200, r.text
    assert any(e["event"] == "upstream_call" for e in bff.logs.events)
    values = demo_personal_values()
    leaks = [
        (rec.name, rec.getMessage()) for rec in caplog.records if values.find(rec.getMessage())
    ]
    assert leaks == []
