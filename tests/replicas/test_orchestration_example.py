"""The orchestration example in `config/` (replicas.compose.yaml, replicas.haproxy.cfg)
describes what the README promises: two replicas on the PostgreSQL store, the load
balancer asking `/ready`, and no volume for a SQLite journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).resolve().parents[2] / "config"


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((CONFIG / "replicas.compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _replicas(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("image") == "kcc-bff"
    }


def test_two_replicas_share_one_postgresql_journal() -> None:
    compose = _compose()
    replicas = _replicas(compose)
    assert len(replicas) == 2
    for service in replicas.values():
        env = service["environment"]
        assert env["BFF_REGISTRATION__STORE"] == "postgresql"
        assert env["BFF_REGISTRATION__POSTGRESQL_DSN"].startswith("postgresql://")
        assert "@postgres:5432/" in env["BFF_REGISTRATION__POSTGRESQL_DSN"]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert compose["services"]["postgres"]["image"].startswith("postgres:")


def test_no_replica_mounts_a_volume_for_a_sqlite_journal() -> None:
    for service in _replicas(_compose()).values():
        targets = [volume.rsplit(":", 1)[-1] for volume in service.get("volumes", [])]
        assert targets == ["/app/var/log"]  # the processing and audit logs only
        assert "BFF_REGISTRATION__SQLITE_PATH" not in service["environment"]


def test_the_load_balancer_sends_traffic_to_ready_replicas() -> None:
    compose = _compose()
    balancer = compose["services"]["loadbalancer"]
    mounted = balancer["volumes"][0].split(":")[0]
    cfg = (CONFIG / mounted).read_text()
    lines = [line.split("#")[0].strip() for line in cfg.splitlines()]
    assert "http-check send meth GET uri /ready" in lines
    assert "default_backend ready" in lines
    servers = [line.split()[1:3] for line in lines if line.startswith("server ")]
    for name in _replicas(compose):
        assert [name, f"{name}:8080"] in servers
