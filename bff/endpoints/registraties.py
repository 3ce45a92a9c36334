"""`GET /api/v1/registraties/{id}`: the status of a registration, step by step.

Only the medewerker who made the registration sees it; for anyone else it does not
exist (404), so ids cannot be probed. No role grants seeing all registrations yet.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response

from bff.auth.identity import current_medewerker
from bff.compose.registratie import RegistratieStatus, compose_registratie_status
from bff.errors import NotFound
from bff.http import Param, api_route, json_response
from bff.services import services

NOT_FOUND = "There is no registration with this id, or it was made by another medewerker."


async def registratie(request: Request) -> Response:
    """The state of a registration: each step's status, attempts and last error, the ids
    it created, and when the next retry is due."""
    medewerker = current_medewerker(request)
    raw_id = request.path_params["id"]
    try:
        registration_id = str(uuid.UUID(raw_id))
    except ValueError:
        raise NotFound(NOT_FOUND) from None
    reg = await services(request).registration_store.get(registration_id)
    if reg is None or reg.owner != medewerker.subject:
        raise NotFound(NOT_FOUND)
    return json_response(compose_registratie_status(reg))


routes = [
    api_route(
        "GET",
        "/api/v1/registraties/{id}",
        registratie,
        summary="Status of a registration",
        tag="registraties",
        responses={200: RegistratieStatus},
        params=[Param("id", "path", "The registration id from the 201/202 answer.", required=True)],
    ),
]
