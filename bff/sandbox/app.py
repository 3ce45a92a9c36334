"""The embedded sandbox: every upstream standard on one ASGI app, each at its base path.

| upstream          | base path                   | auth                              |
|-------------------|-----------------------------|-----------------------------------|
| klantinteracties  | /klantinteracties/api/v1    | `Authorization: Token <key>`      |
| zaken             | /zaken/api/v1               | `Authorization: Bearer <ZGW JWT>` |
| catalogi          | /catalogi/api/v1            | `Authorization: Bearer <ZGW JWT>` |
| brp               | /haalcentraal/api/brp       | API-key header                    |
| objecten          | /objecten/api/v2            | `Authorization: Token <key>`      |
| referentielijsten | /referentielijsten/api/v1   | none                              |

`Sandbox` owns the in-memory stores and the fault rules; `Sandbox.asgi()` builds the
Starlette app over them. Tests reach into `sandbox.<store>` to assert what was written.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount

from bff.sandbox import brp, catalogi, klantinteracties, objecten, referentielijsten, zaken
from bff.sandbox.credentials import SandboxCredentials
from bff.sandbox.faults import FaultMiddleware, Faults

BASE_PATHS: dict[str, str] = {
    "klantinteracties": "/klantinteracties/api/v1",
    "zaken": "/zaken/api/v1",
    "catalogi": "/catalogi/api/v1",
    "brp": "/haalcentraal/api/brp",
    "objecten": "/objecten/api/v2",
    "referentielijsten": "/referentielijsten/api/v1",
}


class Sandbox:
    """In-memory upstreams with their stores, fault rules and credentials."""

    def __init__(
        self, credentials: SandboxCredentials | None = None, *, seed: int | None = None
    ) -> None:
        self.credentials = credentials or SandboxCredentials()
        self.faults = Faults()
        self.klantinteracties = klantinteracties.KlantinteractiesStore(seed=seed)
        self.catalogi = catalogi.CatalogiStore(seed=seed)
        self.zaken = zaken.ZakenStore(seed=seed, catalogi=self.catalogi)
        self.brp = brp.BrpStore()
        self.objecten = objecten.ObjectenStore(seed=seed)
        self.referentielijsten = referentielijsten.ReferentielijstenStore(seed=seed)

    def asgi(self) -> Starlette:
        creds = self.credentials
        apps = {
            "klantinteracties": klantinteracties.create_app(self.klantinteracties, creds),
            "zaken": zaken.create_app(self.zaken, creds),
            "catalogi": catalogi.create_app(self.catalogi, creds),
            "brp": brp.create_app(self.brp, creds),
            "objecten": objecten.create_app(self.objecten, creds),
            "referentielijsten": referentielijsten.create_app(self.referentielijsten, creds),
        }
        routes = [
            Mount(BASE_PATHS[name], app=FaultMiddleware(app, upstream=name, faults=self.faults))
            for name, app in apps.items()
        ]
        return Starlette(routes=routes)
