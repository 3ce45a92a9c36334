"""The `bff` command: `serve` (the BFF), `sandbox` (the upstreams only), `demo` (both).

Each prints where it listens and stops cleanly on Ctrl-C. Configuration errors stop
the process with one message naming the setting, never a stack trace.
"""

from __future__ import annotations

import argparse
import asyncio
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


async def _serve_all(servers: Sequence[uvicorn.Server]) -> None:
    await asyncio.gather(*(s.serve() for s in servers))


def cmd_serve(args: argparse.Namespace) -> int:
    from bff.app import create_app

    overrides: dict[str, object] = {}
    if args.port:
        overrides["port"] = args.port
    settings = load_settings(**overrides)
    app = create_app(settings)
    print(f"KCC BFF listening on http://{settings.host}:{settings.port}", flush=True)
    asyncio.run(_serve_all([_server(app, settings.host, settings.port)]))
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bff.sandbox.app import BASE_PATHS
    from bff.sandbox.demo import build_demo_sandbox

    sandbox = build_demo_sandbox()
    base = f"http://{args.host}:{args.port}"
    print(f"Sandbox upstreams listening on {base}", flush=True)
    for name, path in BASE_PATHS.items():
        print(f"  {name:<18} {base}{path}", flush=True)
    asyncio.run(_serve_all([_server(sandbox.asgi(), args.host, args.port)]))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bff.app import create_app
    from bff.sandbox.demo import build_demo_sandbox, demo_settings, describe_demo

    sandbox = build_demo_sandbox()
    sandbox_url = f"http://{args.host}:{args.sandbox_port}"
    settings: Settings = demo_settings(sandbox, sandbox_url, host=args.host, port=args.port)
    app = create_app(settings)
    print(describe_demo(sandbox, settings, sandbox_url), flush=True)
    asyncio.run(
        _serve_all(
            [
                _server(sandbox.asgi(), args.host, args.sandbox_port),
                _server(app, args.host, args.port),
            ]
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bff", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the BFF (config/ + BFF_* env vars)")
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(func=cmd_serve)
    sandbox = sub.add_parser("sandbox", help="run only the sandbox upstreams, with demo data")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    sandbox.set_defaults(func=cmd_sandbox)
    demo = sub.add_parser("demo", help="run the BFF wired to the sandbox, with demo data")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--sandbox-port", type=int, default=8081)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigurationError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
