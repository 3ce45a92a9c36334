"""The `bff` commands as real processes: busy ports, log settings, `serve` against `sandbox`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

BFF = [sys.executable, "-m", "bff.cli"]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BFF_")}
    return {**env, **extra}


@contextmanager
def _running(args: list[str], env: dict[str, str], tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / f"{args[0]}-{len(list(tmp_path.iterdir()))}.out"
    with out.open("w") as sink:
        proc = subprocess.Popen(  # noqa: S603  # our own command line
            [*BFF, *args], cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            yield out
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(url: str, out: Path, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered; output:\n{out.read_text()}")


@pytest.mark.slow
def test_a_busy_port_is_one_clear_line_and_exit_code_2(tmp_path: Path) -> None:
    port = _free_port()
    with socket.create_server(("127.0.0.1", port)):
        result = subprocess.run(  # noqa: S603  # our own command line
            [*BFF, "demo", "--port", str(port), "--sandbox-port", str(_free_port())],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert result.stdout == ""  # no banner for a demo that cannot start
    assert result.stderr.strip().splitlines() == [
        f"Cannot listen on 127.0.0.1:{port}: the port is already in use."
    ]


@pytest.mark.slow
def test_demo_honours_the_log_settings_and_loads_codes_after_its_sandbox_listens(
    tmp_path: Path,
) -> None:
    port, sandbox_port = _free_port(), _free_port()
    env = _env(BFF_LOG_LEVEL="INFO", BFF_LOG_FORMAT="json")
    args = ["demo", "--port", str(port), "--sandbox-port", str(sandbox_port)]
    with _running(args, env, tmp_path) as out:
        _wait_ready(f"http://127.0.0.1:{port}/health", out)
        deadline = time.monotonic() + 20
        while '"codes_loaded"' not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    text = out.read_text()
    events = [json.loads(line)["event"] for line in text.splitlines() if line.startswith("{")]
    assert "codes_loaded" in events  # INFO lines in JSON: the settings were honoured
    assert "codes_refresh_failed" not in events
    for criterion in (
        "bsn",
        "geslachtsnaam",
        "postcode",
        "telefoonnummer",
        "emailadres",
        "kvkNummer",
    ):
        assert f'"{criterion}"' in text  # the banner names a demo value for every criterion


@pytest.mark.slow
def test_serve_runs_against_sandbox_with_its_demo_issuer(tmp_path: Path) -> None:
    sandbox_port, port = _free_port(), _free_port()
    with _running(["sandbox", "--port", str(sandbox_port)], _env(), tmp_path) as sandbox_out:
        _wait_ready(f"http://127.0.0.1:{sandbox_port}/oidc/jwks", sandbox_out)
        exported = dict(
            line.strip().removeprefix("export ").split("=", 1)
            for line in sandbox_out.read_text().splitlines()
            if line.strip().startswith("export BFF_")
        )
        env = _env(**{name: value.strip("'") for name, value in exported.items()})
        with _running(["serve", "--port", str(port)], env, tmp_path) as serve_out:
            _wait_ready(f"http://127.0.0.1:{port}/health", serve_out)
            token = httpx.post(
                f"http://127.0.0.1:{sandbox_port}/oidc/token", data={"medewerker": "mdw-anna"}
            ).json()["access_token"]
            found = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/partijen/zoeken",
                json={"bsn": "999993653"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
    assert found.status_code == 200, found.text
    assert found.json()["items"]
