"""The logged-in medewerker as an actor in Klantinteracties: found or created once, cached.

Actoridentificator values are not unique upstream, so two concurrent first calls could
create the same medewerker twice. Within one BFF the get-or-create is serialised per
identity; across replicas a duplicate may still appear, so a lookup that finds several
always picks the same one (the lowest uuid), and every replica converges on it.

Convention (as used by the KCC frontends of the Open Klant ecosystem): codeObjecttype
`mdw`, codeRegister `msei`, codeSoortObjectId `email`, objectId the e-mail address. A
token without e-mail falls back to codeSoortObjectId `sub` with the token subject.
"""

from __future__ import annotations

from cachetools import TTLCache

from bff.auth.identity import Medewerker
from bff.cache_stats import CacheStats
from bff.etag import KeyedLocks, Locks
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import Actor, ActorIdentificatie, Actoridentificator
from bff.upstreams.klantinteracties.writes import ActorCreate


def actoridentificator(medewerker: Medewerker) -> Actoridentificator:
    if medewerker.email:
        return Actoridentificator(
            object_id=medewerker.email.lower(),
            code_objecttype="mdw",
            code_register="msei",
            code_soort_object_id="email",
        )
    return Actoridentificator(
        object_id=medewerker.subject,
        code_objecttype="mdw",
        code_register="msei",
        code_soort_object_id="sub",
    )


class MedewerkerActors:
    """Get-or-create of medewerker actors, serialised per identity and cached."""

    def __init__(
        self,
        client: KlantinteractiesClient,
        *,
        functie: str = "KCC-medewerker",
        telefoonnummer: str,
        ttl_s: float = 3600,
        maxsize: int = 2048,
        locks: Locks | None = None,
    ) -> None:
        self._client = client
        self._locks = locks or KeyedLocks()
        self._functie = functie
        self._telefoonnummer = telefoonnummer
        self._cache: TTLCache[str, Actor] = TTLCache(maxsize=maxsize, ttl=ttl_s)
        self.stats = CacheStats()

    def cached(self, medewerker: Medewerker) -> Actor | None:
        return self._cache.get(self._key(medewerker))

    async def get_or_create(self, medewerker: Medewerker) -> Actor:
        key = self._key(medewerker)
        found = self._cache.get(key)
        self.stats.record(hit=found is not None)
        if found is not None:
            return found
        async with self._locks.hold(f"medewerker-actor:{key}"):  # also across replicas
            found = self._cache.get(key)
            if found is None:
                found = await self._find_or_create(medewerker)
                self._cache[key] = found
        return found

    async def _find_or_create(self, medewerker: Medewerker) -> Actor:
        ident = actoridentificator(medewerker)
        existing = await self._client.find_actoren(ident)
        medewerkers = [a for a in existing if a.soort_actor == "medewerker"]
        if medewerkers:
            return min(medewerkers, key=lambda a: a.uuid)
        return await self._client.create_actor(
            ActorCreate(
                naam=medewerker.naam[:200] or medewerker.subject,
                soort_actor="medewerker",
                actoridentificator=ident,
                actor_identificatie=self._identificatie(medewerker),
            )
        )

    def _identificatie(self, medewerker: Medewerker) -> ActorIdentificatie:
        # Open Klant requires functie and telefoonnummer on a medewerker's actorIdentificatie;
        # the token carries no phone number, so the KCC's own number is used.
        return ActorIdentificatie(
            functie=self._functie,
            emailadres=medewerker.email,
            telefoonnummer=self._telefoonnummer,
        )

    @staticmethod
    def _key(medewerker: Medewerker) -> str:
        ident = actoridentificator(medewerker)
        return f"{ident.code_soort_object_id}:{ident.object_id}"
