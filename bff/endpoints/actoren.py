"""`GET /api/v1/actoren?naam=...`: pick a colleague or an afdeling to hand a klantcontact to.

Served from the actoren index (`bff.actoren_index`): every active actor in memory,
matched on parts of the naam, ignoring case and accents. The query is a colleague's or
an afdeling's name, never a citizen's; it is not logged (the access log has the route
template only).
"""

from __future__ import annotations

from pydantic import ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from bff.compose.actor import ActorView, compose_actor
from bff.compose.base import InModel, OutModel
from bff.http import Param, api_route, json_response, parse_query
from bff.services import services
from bff.upstreams.klantinteracties.models import SoortActor


class ActorenQuery(InModel):
    model_config = ConfigDict(strict=False)

    naam: str = Field(min_length=2, max_length=100)
    soort_actor: SoortActor | None = None


class ActorenGevonden(OutModel):
    """The list envelope: active actoren matching the naam, best first; `count` of them
    shown, at most `actoren.max_results` (a search is not paged: narrow the naam)."""

    items: list[ActorView]
    count: int


async def actoren(request: Request) -> Response:
    """Active actoren (medewerkers, afdelingen, systems) whose naam contains every word of
    `naam`, best matches first; optionally only one `soortActor`."""
    query = parse_query(request, ActorenQuery)
    svc = services(request)
    found = await svc.actoren_index.search(query.naam, soort_actor=query.soort_actor)
    codes = await svc.codes.tables()
    items = [compose_actor(a, codes) for a in found]
    return json_response(ActorenGevonden(items=items, count=len(items)))


SOORT_ACTOR_PARAM = {
    "type": "string",
    "enum": ["medewerker", "organisatorische_eenheid", "geautomatiseerde_actor"],
}

routes = [
    api_route(
        "GET",
        "/api/v1/actoren",
        actoren,
        summary="Find a colleague or afdeling by naam",
        tag="actoren",
        responses={200: ActorenGevonden},
        params=[
            Param("naam", description="Part(s) of the naam, at least 2 characters.", required=True),
            Param("soortActor", description="Only this soort actor.", schema=SOORT_ACTOR_PARAM),
        ],
    ),
]
