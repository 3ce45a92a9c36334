"""The long-lived resources of a running BFF, made in the lifespan, reached by endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from bff.actor_cache import ActorCache
from bff.actoren_index import ActorenIndex
from bff.auth.oidc import OidcVerifier
from bff.codes_cache import Codes
from bff.etag import Locks
from bff.medewerker_actor import MedewerkerActors
from bff.privacy.recorder import Privacy
from bff.registration import RegistrationRunner, RegistrationStore
from bff.settings import Settings
from bff.upstreams.registry import Upstreams
from bff.verificaties import Verificaties


@dataclass
class Services:
    settings: Settings
    upstreams: Upstreams
    verifier: OidcVerifier
    privacy: Privacy
    registration_store: RegistrationStore
    registrations: RegistrationRunner
    medewerker_actoren: MedewerkerActors
    codes: Codes
    actor_cache: ActorCache
    actoren_index: ActorenIndex
    write_locks: Locks  # serialises read-compare-write per resource (bff.etag)
    verificaties: Verificaties


def services(request: Request) -> Services:
    found: Services = request.state.services
    return found
