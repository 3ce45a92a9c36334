"""Two `bff serve` processes on one PostgreSQL journal, with a sandbox process upstream.

The module's tests share one cluster (starting three processes costs seconds on a busy
machine); a test that kills a replica starts it again before it ends.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.chaos.test_chaos import _env, _port, _start, _stop, _tail
from tests.helpers.postgres import scratch_database

BFF = [sys.executable, "-m", "bff.cli"]
ROOT = Path(__file__).resolve().parents[2]
REPLICA = {
    "BFF_ENVIRONMENT": "test",
    "BFF_LOG_LEVEL": "WARNING",
    "BFF_REGISTRATION__STORE": "postgresql",
    "BFF_REGISTRATION__POSTGRESQL_POOL_SIZE": "5",
    "BFF_REGISTRATION__POSTGRESQL_TIMEOUT_S": "1",
    "BFF_REGISTRATION__INLINE_BUDGET_S": "0.5",
    "BFF_REGISTRATION__BACKOFF_BASE_S": "0.05",
    "BFF_REGISTRATION__BACKOFF_CAP_S": "0.5",
    "BFF_REGISTRATION__POLL_INTERVAL_S": "0.2",
    "BFF_REGISTRATION__LEASE_S": "2",
    "BFF_REGISTRATION__SETTLE_S": "1",
    "BFF_REGISTRATION__CLAIM_LIMIT": "50",
    "BFF_REGISTRATION__MAX_ATTEMPTS": "50",
}


def _wait(url: str, out: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never answered:\n{_tail(out)}")


@dataclass
class Cluster:
    """The sandbox, two replicas (`urls[0]`, `urls[1]`) and the database they share."""

    tmp: Path
    dsn: str
    sandbox_url: str
    env: dict[str, str]
    ports: list[int]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    auth: dict[str, str] = field(default_factory=dict)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    @property
    def database(self) -> str:
        return self.dsn.rsplit("/", 1)[1]

    def start(self, replica: int) -> None:
        out = self.tmp / f"bff{replica}.out"
        args = [*BFF, "serve", "--port", str(self.ports[replica])]
        self.procs[f"bff{replica}"] = _start(args, _env(**self.env), out)
        _wait(f"{self.urls[replica]}/ready", out)

    def kill(self, replica: int) -> None:
        proc = self.procs.pop(f"bff{replica}")
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def faults(self, rules: list[dict[str, object]]) -> None:
        httpx.put(f"{self.sandbox_url}/_replicas/faults", json=rules).raise_for_status()

    def held(self) -> list[dict[str, object]]:
        answer = httpx.get(f"{self.sandbox_url}/_replicas/klantcontacten", timeout=30)
        return list(answer.raise_for_status().json())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("replicas")
    with scratch_database() as dsn:
        port = _port()
        env_file, out = tmp / "bff.env.json", tmp / "sandbox.out"
        sandbox = _start(
            [sys.executable, "-m", "tests.replicas.replica_sandbox", str(port), str(env_file)],
            _env(PYTHONPATH=str(ROOT)),
            out,
        )
        url = f"http://127.0.0.1:{port}"
        cluster = Cluster(tmp, dsn, url, {}, [_port(), _port()], {"sandbox": sandbox})
        try:
            _wait(f"{url}/_replicas/refs", out)
            cluster.refs = httpx.get(f"{url}/_replicas/refs").json()
            token = httpx.post(f"{url}/oidc/token", data={"medewerker": "mdw-anna"})
            cluster.auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
            cluster.env = {
                **json.loads(env_file.read_text()),
                **REPLICA,
                "BFF_REGISTRATION__POSTGRESQL_DSN": dsn,
            }
            cluster.start(0)
            cluster.start(1)
            yield cluster
        finally:
            for proc in reversed(list(cluster.procs.values())):
                if proc.poll() is None:
                    _stop(proc)
