"""A BFF stopped in the middle of a registration: the next start (same journal file) finishes it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.helpers.harness import Bff, demo_sandbox, start_bff
from tests.registreren.support import (
    POLL_PAUSE_S,
    POLLS,
    assert_complete,
    finished,
    parts,
    registratie,
)

ANNA = "anna.devries@gemeente.example"
URL = "/api/v1/klantcontacten"


async def _until_step_done(bff: Bff, registratie_id: str, step: str) -> dict[str, Any]:
    for _ in range(POLLS):
        r = await bff.client.get(f"/api/v1/registraties/{registratie_id}", headers=bff.auth())
        steps = {s["name"]: s["status"] for s in r.json()["steps"]}
        if steps[step] == "done":
            return dict(r.json())
        await asyncio.sleep(POLL_PAUSE_S)
    raise AssertionError(f"step {step} never finished")


async def test_a_registration_cut_off_mid_plan_is_completed_after_a_restart(
    tmp_path: Path,
) -> None:
    sandbox = demo_sandbox()
    journal = {
        "store": "sqlite",
        "sqlite_path": str(tmp_path / "registrations.sqlite3"),
        "lease_s": 0.5,  # a dead process's claim runs out quickly
        "inline_budget_s": 0.05,
    }
    async with start_bff(sandbox, registration=journal) as first:
        # the interne taak hangs upstream until the process is gone
        sandbox.faults.add(
            "klantinteracties", method="POST", path=r"^/internetaken", latency_s=60, times=1
        )
        r = await first.client.post(URL, json=registratie(sandbox), headers=first.auth())
        accepted = r.json()
        midway = await _until_step_done(first, accepted["registratieId"], "klantcontact")
        await first.services.registrations.stop(grace_s=0)  # the process dies here
    sandbox.faults.clear()
    cut_off = parts(sandbox, accepted["referentienummer"])

    async with start_bff(sandbox, registration=journal) as second:
        status = await finished(second, accepted["registratieId"])

    assert r.status_code == 202, r.text
    assert midway["status"] == "running"
    assert len(cut_off.klantcontacten) == 1
    assert cut_off.internetaken == []
    assert status["status"] == "completed"
    found = assert_complete(sandbox, accepted["referentienummer"], medewerker=ANNA)
    assert found.klantcontact["uuid"] == cut_off.klantcontact["uuid"]
