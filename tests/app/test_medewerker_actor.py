"""The logged-in medewerker as actor: found, or created exactly once, then cached."""

from __future__ import annotations

import asyncio

from bff.auth.identity import Medewerker, Role
from bff.medewerker_actor import actoridentificator
from tests.helpers.harness import start_bff

ANNA = Medewerker(
    "mdw-anna", "Anna de Vries", "anna.devries@gemeente.example", frozenset({Role.MEDEWERKER})
)
NIEUW = Medewerker(
    "mdw-nieuw", "Nina Nieuw", "nina.nieuw@gemeente.example", frozenset({Role.MEDEWERKER})
)


def _actors_with(store: dict[str, dict], email: str) -> list[dict]:
    return [
        a for a in store.values() if (a.get("actoridentificator") or {}).get("objectId") == email
    ]


async def test_existing_demo_medewerker_is_found_not_created() -> None:
    async with start_bff() as bff:
        before = len(bff.sandbox.klantinteracties.actoren)
        actor = await bff.services.medewerker_actoren.get_or_create(ANNA)
    assert actor.naam == "Anna de Vries"
    assert len(bff.sandbox.klantinteracties.actoren) == before


async def test_concurrent_first_calls_create_one_actor() -> None:
    async with start_bff() as bff:
        actors = await asyncio.gather(
            *(bff.services.medewerker_actoren.get_or_create(NIEUW) for _ in range(10))
        )
        made = _actors_with(bff.sandbox.klantinteracties.actoren, NIEUW.email or "")
    assert len({a.uuid for a in actors}) == 1
    assert len(made) == 1
    assert made[0]["soortActor"] == "medewerker"


async def test_cached_actor_needs_no_upstream_call() -> None:
    async with start_bff() as bff:
        await bff.services.medewerker_actoren.get_or_create(ANNA)
        bff.sandbox.faults.add("klantinteracties", status=500)
        again = await bff.services.medewerker_actoren.get_or_create(ANNA)
    assert again.naam == "Anna de Vries"


async def test_duplicates_upstream_resolve_to_the_lowest_uuid() -> None:
    async with start_bff() as bff:
        store = bff.sandbox.klantinteracties
        ident = actoridentificator(NIEUW)
        for _ in range(3):
            store.insert(
                "actoren",
                {
                    "naam": "Nina Nieuw",
                    "soortActor": "medewerker",
                    "actoridentificator": {
                        "objectId": ident.object_id,
                        "codeObjecttype": ident.code_objecttype,
                        "codeRegister": ident.code_register,
                        "codeSoortObjectId": ident.code_soort_object_id,
                    },
                },
            )
        actor = await bff.services.medewerker_actoren.get_or_create(NIEUW)
    assert actor.uuid == min(a["uuid"] for a in _actors_with(store.actoren, NIEUW.email or ""))


async def test_medewerker_without_email_is_identified_by_subject() -> None:
    ident = actoridentificator(Medewerker("sub-42", "Zonder Mail", None))
    assert (ident.code_soort_object_id, ident.object_id) == ("sub", "sub-42")
