"""Serving the BFF as a process: uvicorn's fastest parts, workers, and a tuned collector.

`bff serve` runs uvicorn with httptools (a dependency) and, when the `fast` extra is
installed (`pip install 'kcc-bff[fast]'`), uvloop; asyncio's loop otherwise. On uvloop,
connections are accepted in batches (`bff.accepting`), as asyncio's loop does, so that
an overloaded worker still sees every request and admission control can answer it; the
HTTP protocol refuses the excess as soon as its headers are read (`bff.admission_http`).
`--workers N` forks N processes over the one listening socket, each with its own app,
clients and caches.

Once the app has started (settings read, clients made, modules imported) the garbage
collector is tuned: what exists then lives as long as the process, so it is moved out
of the collector's sight (`gc.freeze`), and the young generation is collected less
often. A request's objects are freed by reference counting; the collector only looks
for cycles, so fewer, smaller collections cost less CPU and no long pauses.
"""

from __future__ import annotations

import gc
import socket
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GC_THRESHOLDS = (20_000, 50, 100)
"""Young generation collected every 20 000 net allocations (default 700); older ones rarely."""


def tune_gc() -> None:
    """Collect once, freeze what survives (start-up state), raise the thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class TuneGcAfterStartup:
    """ASGI wrapper: calls `tune_gc` when the app reports its lifespan start-up complete."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tuned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete" and not self.tuned:
                tune_gc()
                self.tuned = True
            await send(message)

        await self.app(scope, receive, sending)


def worker_app() -> ASGIApp:
    """The app of one worker process (`uvicorn --factory bff.serve:worker_app`)."""
    from bff.app import create_app

    return TuneGcAfterStartup(create_app())


def _loop() -> str:
    """uvloop (accepting in batches, `bff.accepting`) when installed, else asyncio's loop."""
    try:
        import uvloop  # noqa: F401  # only whether it is installed
    except ImportError:
        return "asyncio"
    return "bff.accepting:new_event_loop"


def _config(app: Any, host: str, port: int, workers: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=workers,
        factory=isinstance(app, str),
        loop=_loop(),
        http="bff.admission_http:AdmittingHttpToolsProtocol",  # httptools, admitting at arrival
        log_level="warning",
        access_log=False,  # the BFF logs its own access line, with the route template
        lifespan="on",
    )


def serve(
    app: ASGIApp | None, sock: socket.socket, *, host: str, port: int, workers: int = 1
) -> None:
    """Serve on an already bound socket; with workers > 1 (or no app) each worker builds
    its own app from the settings."""
    if workers <= 1 and app is not None:
        server = uvicorn.Server(_config(TuneGcAfterStartup(app), host, port, 1))
        server.run(sockets=[sock])
        return
    from uvicorn.supervisors import Multiprocess

    config = _config("bff.serve:worker_app", host, port, workers)
    Multiprocess(config, sockets=[sock]).run()
