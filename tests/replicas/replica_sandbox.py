"""The demo sandbox as a process of its own, for the tests with two BFF replicas.

    python -m tests.replicas.replica_sandbox <port> <env file>

Writes the `BFF_*` variables that point `bff serve` at it to <env file> (JSON), then
serves on 127.0.0.1 the sandbox, the demo issuer, `GET /_replicas/refs` (a partij and an
afdeling to register for), `GET /_replicas/klantcontacten` (what the Klantinteracties
store holds per klantcontact, read past the faults) and `PUT /_replicas/faults` (replace
Klantinteracties' fault rules with the JSON list sent; `[]` clears them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from bff.sandbox.demo import build_demo_sandbox
from bff.sandbox.demo_guide import ISSUER_PATH, serve_environment
from bff.sandbox.issuer import DemoIssuer
from tests.chaos.chaos_sandbox import DEMO_BSN, klantcontacten_held

BFF_TIMEOUT_S = 5.0


def main(port: int, env_file: Path) -> None:
    sandbox = build_demo_sandbox()
    base = f"http://127.0.0.1:{port}"
    env = serve_environment(sandbox, base)
    env["BFF_KLANTINTERACTIES__TIMEOUT_S"] = str(BFF_TIMEOUT_S)
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

    async def faults(request: Request) -> Response:
        sandbox.faults.clear("klantinteracties")
        for rule in await request.json():
            sandbox.faults.add("klantinteracties", **rule)
        return Response(status_code=204)

    issuer = DemoIssuer(base + ISSUER_PATH)
    app = Starlette(
        routes=[
            Route("/_replicas/klantcontacten", klantcontacten),
            Route("/_replicas/refs", refs),
            Route("/_replicas/faults", faults, methods=["PUT"]),
            Mount(ISSUER_PATH, app=issuer.app()),
            Mount("", app=sandbox.asgi()),
        ]
    )
    print("replica sandbox ready", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
