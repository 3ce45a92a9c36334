"""The `bff` command: `serve` (the BFF), `sandbox` (the upstreams only), `demo` (both).

Each prints where it listens and stops cleanly on Ctrl-C. Configuration errors and a
port already in use stop the process with one message and exit code 2, never a stack
trace: the listening sockets are bound before anything is printed or started.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import socket
import sys
from collections.abc import Sequence

import uvicorn

from bff.settings import ConfigurationError, Settings, load_settings


def _server(app: object, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]  # any ASGI app
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    return uvicorn.Server(config)


class PortInUse(Exception):
    """A port the command must listen on is taken (or not ours to bind)."""


def _bind(host: str, port: int) -> socket.socket:
    try:
        return socket.create_server((host, port))
    except OSError as exc:
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise PortInUse(f"Cannot listen on {host}:{port}: {reason}.") from None


Listener = tuple[uvicorn.Server, socket.socket]


async def _serve_in_order(listeners: Sequence[Listener]) -> None:
    """Start each server once the one before it accepts connections (the BFF loads its
    reference lists from the sandbox at start-up), then serve them all until Ctrl-C."""
    tasks: list[asyncio.Task[None]] = []
    for server, sock in listeners:
        tasks.append(asyncio.create_task(server.serve(sockets=[sock])))
        while not server.started and not tasks[-1].done():  # noqa: ASYNC110  # uvicorn offers only a flag
            await asyncio.sleep(0.01)
    await asyncio.gather(*tasks)


def cmd_serve(args: argparse.Namespace) -> int:
    from bff.app import create_app
    from bff.serve import serve

    overrides: dict[str, object] = {}
    if args.port:
        overrides["port"] = args.port
    settings = load_settings(**overrides)
    sock = _bind(settings.host, settings.port)
    app = create_app(settings) if args.workers <= 1 else None  # workers build their own
    print(f"KCC BFF listening on http://{settings.host}:{settings.port}", flush=True)
    serve(app, sock, host=settings.host, port=settings.port, workers=args.workers)
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from bff.sandbox.app import BASE_PATHS
    from bff.sandbox.demo import build_demo_sandbox
    from bff.sandbox.demo_guide import ISSUER_PATH, describe_sandbox
    from bff.sandbox.issuer import DemoIssuer

    sock = _bind(args.host, args.port)
    sandbox = build_demo_sandbox()
    base = f"http://{args.host}:{args.port}"
    issuer = DemoIssuer(base + ISSUER_PATH)
    app = Starlette(routes=[Mount(ISSUER_PATH, app=issuer.app()), Mount("", app=sandbox.asgi())])
    print(describe_sandbox(sandbox, base, BASE_PATHS), flush=True)
    asyncio.run(_serve_in_order([(_server(app, args.host, args.port), sock)]))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bff.app import create_app
    from bff.sandbox.demo import build_demo_sandbox, demo_settings
    from bff.sandbox.demo_guide import describe_demo

    sandbox_sock = _bind(args.host, args.sandbox_port)
    bff_sock = _bind(args.host, args.port)
    sandbox = build_demo_sandbox()
    sandbox_url = f"http://{args.host}:{args.sandbox_port}"
    settings: Settings = demo_settings(
        sandbox,
        sandbox_url,
        host=args.host,
        port=args.port,
        require_verification=args.require_verification,
    )
    app = create_app(settings)
    print(describe_demo(sandbox, settings, sandbox_url), flush=True)
    asyncio.run(
        _serve_in_order(
            [
                (_server(sandbox.asgi(), args.host, args.sandbox_port), sandbox_sock),
                (_server(app, args.host, args.port), bff_sock),
            ]
        )
    )
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bff", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the BFF (config/ + BFF_* env vars)")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=_positive, default=1, help="worker processes (default 1)")
    serve.set_defaults(func=cmd_serve)
    sandbox = sub.add_parser("sandbox", help="run only the sandbox upstreams, with demo data")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    sandbox.set_defaults(func=cmd_sandbox)
    demo = sub.add_parser("demo", help="run the BFF wired to the sandbox, with demo data")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--sandbox-port", type=int, default=8081)
    demo.add_argument(
        "--require-verification",
        action="store_true",
        help="a person's klantbeeld only after POST /api/v1/verificaties",
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (ConfigurationError, PortInUse) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
