"""The container image: its data outlives the container, and its health check really works."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from tests.app.test_cli_processes import _env, _free_port, _running, _wait_ready

ROOT = Path(__file__).resolve().parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if not line.startswith("#")
    ]


def _one(name: str) -> str:
    found = [arg for instruction, arg in _instructions() if instruction == name]
    assert len(found) == 1, f"expected one {name} in the Dockerfile, found {found}"
    return found[0]


def test_the_journal_and_the_logs_lie_on_the_volume() -> None:
    workdir = PurePosixPath(_one("WORKDIR"))
    volumes = [PurePosixPath(v) for v in json.loads(_one("VOLUME"))]
    config = tomllib.loads((ROOT / "config" / "bff.toml").read_text())
    paths = [
        config["registration"]["sqlite_path"],
        config["privacy"]["processing_log_path"],
        config["privacy"]["audit_log_path"],
    ]
    for path in paths:
        absolute = workdir / path
        assert any(absolute.is_relative_to(v) for v in volumes), f"{absolute} is not on a volume"


@pytest.mark.slow
def test_the_health_check_command_passes_against_a_running_bff(tmp_path: Path) -> None:
    healthcheck = _one("HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert command[0] == "python"
    port, sandbox_port = _free_port(), _free_port()
    args = ["demo", "--port", str(port), "--sandbox-port", str(sandbox_port)]
    with _running(args, _env(), tmp_path) as out:
        _wait_ready(f"http://127.0.0.1:{port}/health", out)
        ok = subprocess.run(  # noqa: S603  # the Dockerfile's own command
            [sys.executable, *command[1:]],
            env=_env(BFF_PORT=str(port)),
            capture_output=True,
            timeout=10,
            check=False,
        )
    down = subprocess.run(  # noqa: S603  # the Dockerfile's own command
        [sys.executable, *command[1:]],
        env=_env(BFF_PORT=str(port)),
        capture_output=True,
        timeout=10,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert down.returncode != 0, shlex.join(command)


def test_the_image_installs_the_pinned_versions_ci_uses() -> None:
    runs = [arg for instruction, arg in _instructions() if instruction == "RUN"]
    copies = " ".join(arg for instruction, arg in _instructions() if instruction == "COPY")
    assert "constraints.txt" in copies
    assert any("pip install -c constraints.txt" in run for run in runs)
    makefile = (ROOT / "Makefile").read_text()
    assert "CONSTRAINTS := constraints.txt" in makefile  # the same file pins CI's install
