"""The long-lived resources of a running BFF, made in the lifespan, reached by endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from bff.auth.oidc import OidcVerifier
from bff.medewerker_actor import MedewerkerActors
from bff.privacy.recorder import Privacy
from bff.registration import RegistrationRunner, RegistrationStore
from bff.settings import Settings
from bff.upstreams.registry import Upstreams


@dataclass
class Services:
    settings: Settings
    upstreams: Upstreams
    verifier: OidcVerifier
    privacy: Privacy
    registration_store: RegistrationStore
    registrations: RegistrationRunner
    medewerker_actoren: MedewerkerActors


def services(request: Request) -> Services:
    found: Services = request.state.services
    return found
