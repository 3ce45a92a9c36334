"""The demo sandbox as a process of its own whose Klantinteracties fails at random.

    python -m tests.chaos.chaos_sandbox <port> <env file>

Writes the `BFF_*` variables that point `bff serve` at it to <env file> (JSON), then
serves the sandbox, the demo issuer, `GET /_chaos/refs` (a partij and an afdeling to
register for) and `GET /_chaos/klantcontacten` (what the Klantinteracties store holds per
klantcontact, read past the faults) on 127.0.0.1.
Faults on every Klantinteracties call, drawn per request: 503, a reset connection, a slow
answer, and a write held past the BFF's timeout that still commits (`keep_working`).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from bff.sandbox.app import Sandbox
from bff.sandbox.demo import build_demo_sandbox
from bff.sandbox.demo_guide import ISSUER_PATH, serve_environment
from bff.sandbox.issuer import DemoIssuer

BFF_TIMEOUT_S = 1.0
DEMO_BSN = "999993653"
FAULTS = [
    {"status": 503, "chance": 0.05},
    {"reset": True, "chance": 0.04},
    {"latency_s": 0.3, "chance": 0.05},
    {"method": "POST", "latency_s": BFF_TIMEOUT_S + 0.3, "keep_working": True, "chance": 0.04},
]


def klantcontacten_held(ki: Any) -> list[dict[str, Any]]:
    """Per klantcontact in the Klantinteracties store: its referentienummer, onderwerp,
    inhoud, and how many betrokkenen, actorklantcontacten, interne taken and digitale
    adressen hang from it (read from the store itself, past any fault rule)."""
    by_kc = {
        kc["uuid"]: {
            "referentienummer": kc["referentienummer"],
            "onderwerp": kc["onderwerp"],
            "inhoud": kc.get("inhoud"),
        }
        for kc in ki.klantcontacten.values()
    }
    counts: dict[str, Counter[str]] = {u: Counter() for u in by_kc}
    betrokkene_kc = {}
    for b in ki.betrokkenen.values():
        if b["hadKlantcontact"] in counts:
            counts[b["hadKlantcontact"]]["betrokkenen"] += 1
            betrokkene_kc[b["uuid"]] = b["hadKlantcontact"]
    for link in ki.actorklantcontacten.values():
        if link["klantcontact"] in counts:
            counts[link["klantcontact"]]["actorklantcontacten"] += 1
    for taak in ki.internetaken.values():
        if taak["aanleidinggevendKlantcontact"] in counts:
            counts[taak["aanleidinggevendKlantcontact"]]["internetaken"] += 1
    for adres in ki.digitaleadressen.values():
        kc = betrokkene_kc.get(adres.get("verstrektDoorBetrokkene") or "")
        if kc:
            counts[kc]["digitaleadressen"] += 1
    return [{**by_kc[u], **counts[u]} for u in by_kc]


def serve(
    sandbox: Sandbox,
    port: int,
    env_file: Path,
    *,
    prefix: str,
    bff_timeout_s: float,
    extra: Sequence[BaseRoute] = (),
) -> None:
    """Write the `BFF_*` variables to `env_file`, then serve `sandbox`, the demo issuer,
    `GET /<prefix>/refs`, `GET /<prefix>/klantcontacten` and `extra` on 127.0.0.1:`port`."""
    base = f"http://127.0.0.1:{port}"
    env = serve_environment(sandbox, base)
    env["BFF_KLANTINTERACTIES__TIMEOUT_S"] = str(bff_timeout_s)
    env_file.write_text(json.dumps(env))
    ki = sandbox.klantinteracties

    async def klantcontacten(request: Request) -> JSONResponse:
        return JSONResponse(klantcontacten_held(ki))

    async def refs(request: Request) -> JSONResponse:
        partij = next(
            i["partij"] for i in ki.partij_identificatoren.values() if i["objectId"] == DEMO_BSN
        )
        actor = next(a["uuid"] for a in ki.actoren.values() if a["naam"] == "Burgerzaken")
        return JSONResponse({"partij": partij, "actor": actor})

    issuer = DemoIssuer(base + ISSUER_PATH)
    app = Starlette(
        routes=[
            Route(f"/{prefix}/klantcontacten", klantcontacten),
            Route(f"/{prefix}/refs", refs),
            *extra,
            Mount(ISSUER_PATH, app=issuer.app()),
            Mount("", app=sandbox.asgi()),
        ]
    )
    print(f"{prefix} sandbox ready", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def main(port: int, env_file: Path) -> None:
    sandbox = build_demo_sandbox()
    for rule in FAULTS:
        sandbox.faults.add("klantinteracties", **rule)
    serve(sandbox, port, env_file, prefix="_chaos", bff_timeout_s=BFF_TIMEOUT_S)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
