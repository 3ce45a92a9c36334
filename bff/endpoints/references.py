"""Checking the ids a write request refers to, before the journal accepts it.

A registration that names an actor, a partij or a zaak which does not exist would fail
upstream after the klantcontact, its betrokkene and actor link were already written (or,
for a zaak, leave an onderwerpobject pointing nowhere). So the registering endpoints ask
first: an unknown or inactive id is a 422 naming its field, and nothing is journalled or
written.

When an upstream cannot answer a check, the request is still accepted (a call is never
lost to an outage): the reference is then checked by the step that uses it, which fails
for good on an unknown id, as before. The log says which check was skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bff.errors import InvalidParam, NotFound, UpstreamFailure
from bff.logs import get_logger
from bff.services import Services

log = get_logger("bff.references")


async def actor_problems(svc: Services, named: Sequence[tuple[str, str]]) -> list[InvalidParam]:
    """Each (field, actor uuid) names an existing, active actor."""
    if not named:
        return []
    lookup = await svc.actor_cache.get_many(uuid for _, uuid in named)
    if lookup.failure is not None and len(lookup.found) < len({u for _, u in named}):
        log.warning("reference_check_skipped", kind="actor", upstream=lookup.failure.upstream)
    problems = []
    for field, uuid in named:
        actor = lookup.found.get(uuid)
        if actor is None and lookup.failure is not None:
            continue  # cannot tell unknown from unreachable: the step checks it
        if actor is None:
            problems.append(InvalidParam(field, "There is no actor with this id.", "unknown-actor"))
        elif actor.indicatie_actief is False:
            problems.append(
                InvalidParam(field, "This actor is no longer active.", "inactive-actor")
            )
    return problems


async def partij_problems(svc: Services, field: str, partij: str | None) -> list[InvalidParam]:
    if partij is None:
        return []
    try:
        await svc.upstreams.klantinteracties.get_partij(partij)
    except NotFound:
        return [InvalidParam(field, "There is no partij with this id.", "unknown-partij")]
    except UpstreamFailure as exc:
        log.warning("reference_check_skipped", kind="partij", upstream=exc.upstream)
    return []


async def zaak_problems(svc: Services, field: str, zaak: str | None) -> list[InvalidParam]:
    if zaak is None:
        return []
    try:
        await svc.upstreams.zaken.get_zaak(zaak)
    except NotFound:
        return [InvalidParam(field, "There is no zaak with this id.", "unknown-zaak")]
    except UpstreamFailure as exc:
        log.warning("reference_check_skipped", kind="zaak", upstream=exc.upstream)
    return []


async def reference_problems(
    svc: Services,
    *,
    actoren: Sequence[tuple[str, str]] = (),
    partij: tuple[str, str | None] = ("", None),
    zaak: tuple[str, str | None] = ("", None),
) -> list[InvalidParam]:
    """Every referenced id checked concurrently; the problems in field order."""
    found = await asyncio.gather(
        partij_problems(svc, *partij), zaak_problems(svc, *zaak), actor_problems(svc, actoren)
    )
    return [problem for group in found for problem in group]
