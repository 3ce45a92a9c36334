"""The demo sandbox as a process of its own, for the tests with two BFF replicas.

    python -m tests.replicas.replica_sandbox <port> <env file>

Writes the `BFF_*` variables that point `bff serve` at it to <env file> (JSON), then
serves on 127.0.0.1 the sandbox, the demo issuer, `GET /_replicas/refs` (a partij and an
afdeling to register for), `GET /_replicas/klantcontacten` (what the Klantinteracties
store holds per klantcontact, read past the faults) and `PUT /_replicas/faults` (replace
Klantinteracties' fault rules with the JSON list sent; `[]` clears them).
"""

from __future__ import annotations

import sys
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bff.sandbox.demo import build_demo_sandbox
from tests.chaos.chaos_sandbox import serve

BFF_TIMEOUT_S = 5.0


def main(port: int, env_file: Path) -> None:
    sandbox = build_demo_sandbox()

    async def faults(request: Request) -> Response:
        sandbox.faults.clear("klantinteracties")
        for rule in await request.json():
            sandbox.faults.add("klantinteracties", **rule)
        return Response(status_code=204)

    route = Route("/_replicas/faults", faults, methods=["PUT"])
    serve(sandbox, port, env_file, prefix="_replicas", bff_timeout_s=BFF_TIMEOUT_S, extra=[route])


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
