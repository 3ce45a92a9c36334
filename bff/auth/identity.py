"""The medewerker behind a request: who they are and which BFF roles they hold.

Roles here are the BFF's own (`Role`); the token's role names are configurable and
mapped onto these once, when the token is verified (`bff.auth.oidc`). Endpoints ask
`current_medewerker(request)` for the actor of a write and `require_role` for a gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from starlette.requests import Request

from bff.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    """What the BFF authorises; `AuthSettings` names the token role granting each."""

    MEDEWERKER = "kcc-medewerker"  # every /api/v1 endpoint
    VERTROUWELIJK = "kcc-vertrouwelijk"  # may read confidential klantcontacten


@dataclass(frozen=True)
class Medewerker:
    """The authenticated KCC medewerker; becomes the actor of what they register."""

    subject: str
    naam: str
    email: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)

    def has(self, role: Role) -> bool:
        return role in self.roles


def current_medewerker(request: Request) -> Medewerker:
    """The medewerker the auth middleware verified for this request."""
    found = request.scope.get("state", {}).get("medewerker")
    if not isinstance(found, Medewerker):
        raise Unauthenticated(
            "Sign in first: this request carries no verified medewerker.",
            headers={"WWW-Authenticate": 'Bearer realm="kcc-bff"'},
        )
    return found


def require_role(request: Request, role: Role) -> Medewerker:
    """The current medewerker, provided they hold `role`; otherwise 403."""
    medewerker = current_medewerker(request)
    if not medewerker.has(role):
        raise forbidden(role)
    return medewerker


def forbidden(role: Role) -> Forbidden:
    return Forbidden(
        f"Your account lacks the role needed here ({role.value}). Ask your administrator.",
        headers={"WWW-Authenticate": 'Bearer realm="kcc-bff", error="insufficient_scope"'},
    )


def can_read_vertrouwelijk(medewerker: Medewerker) -> bool:
    """Whether confidential klantcontacten may be shown to this medewerker."""
    return medewerker.has(Role.VERTROUWELIJK)
