"""Removing what a klantcontact registration made twice: the last step, `opruimen`.

A write that timed out or lost its connection may still commit upstream after the BFF
gave up on it. The step's retry waits until the upstream can no longer be working on it
(`RegistrationSettings.settle_s`) and then looks first, so it normally adopts what the
earlier attempt made. Only kinds Open Klant does not keep unique can end up twice:

    interne taak     same klantcontact, same content as one this registration planned
    bijlage          same klantcontact, naming this registration's productaanvraag object
    digitaal adres   same betrokkene (for this request) or partij (one this registration
                     added), same soort and adres as one it recorded

The klantcontact with its betrokkene and onderwerpobject (one transaction, a unique
referentienummer), the actor link (unique per actor and klantcontact) and the
productaanvraag object (a uuid the BFF chose) cannot. So `opruimen` runs after every
other step, only when some write of this registration had an unknown outcome
(`StepContext.unknown_outcome_at`), and deletes every such extra that is not the one the
registration recorded. Without unknown outcomes it makes no upstream call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bff.compose.klantcontact_registratie_plan import (
    KlantcontactPlanInput,
    internetaak_create,
    productaanvraag_taak,
    same_internetaak,
)
from bff.registration.plan import StepContext
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.common import Removable
from bff.upstreams.klantinteracties.models import DigitaalAdres

LOOKUP_PAGE_SIZE = 100


def _key(adres: DigitaalAdres) -> tuple[str, str]:
    return adres.soort_digitaal_adres, adres.adres.strip().lower()


def extra_adressen(present: Sequence[DigitaalAdres], recorded: Iterable[str]) -> list[str]:
    """Addresses with the soort and adres of a recorded one, that are not recorded."""
    keep = set(recorded)
    wanted = {_key(a) for a in present if a.uuid in keep}
    return [a.uuid for a in present if a.uuid not in keep and _key(a) in wanted]


class Opruimen:
    def __init__(self, ki: KlantinteractiesClient, data: KlantcontactPlanInput) -> None:
        self.ki = ki
        self.data = data

    async def __call__(self, ctx: StepContext) -> dict[str, Any]:
        if ctx.unknown_outcome_at is None:
            return {}
        found: list[tuple[Removable, str]] = []
        found += [("internetaken", u) for u in await self._internetaken(ctx.results)]
        found += [("bijlagen", u) for u in await self._bijlagen(ctx.results)]
        found += [("digitaleadressen", u) for u in await self._adressen(ctx.results)]
        removed = [uuid for kind, uuid in found if await self.ki.delete_extra(kind, uuid)]
        return {"verwijderd": removed}

    async def _internetaken(self, results: Mapping[str, Mapping[str, Any]]) -> list[str]:
        klantcontact = results["klantcontact"]["klantcontact"]
        wanted = []
        if self.data.interne_taak is not None:
            wanted.append(internetaak_create(self.data.interne_taak, klantcontact))
        pa, made = self.data.productaanvraag, results.get("productaanvraag", {}).get("object")
        if pa is not None and pa.interne_taak is not None and made:
            wanted.append(internetaak_create(productaanvraag_taak(pa, made), klantcontact))
        if not wanted:
            return []
        keep = {
            results.get(step, {}).get("internetaak")
            for step in ("internetaak", "internetaak-productaanvraag")
        }
        page = await self.ki.internetaken_page(
            aanleidinggevend_klantcontact_uuid=klantcontact, page_size=LOOKUP_PAGE_SIZE
        )
        return [
            t.uuid
            for t in page.items
            if t.uuid not in keep and any(same_internetaak(t, w) for w in wanted)
        ]

    async def _bijlagen(self, results: Mapping[str, Mapping[str, Any]]) -> list[str]:
        made = results.get("productaanvraag", {}).get("object")
        keep = results.get("bijlage", {}).get("bijlage")
        if not made or not keep:
            return []
        return [
            b.uuid
            for b in await self.ki.list_bijlagen(results["klantcontact"]["klantcontact"])
            if b.uuid != keep
            and b.bijlageidentificator is not None
            and b.bijlageidentificator.object_id == made
        ]

    async def _adressen(self, results: Mapping[str, Mapping[str, Any]]) -> list[str]:
        extras: list[str] = []
        recorded = results.get("digitale-adressen-betrokkene", {}).get("digitaleAdressen")
        betrokkene = results["klantcontact"].get("betrokkene")
        if recorded and betrokkene:
            found = await self.ki.get_betrokkene(betrokkene, expand=["digitaleAdressen"])
            present = (found.expand.digitale_adressen if found.expand else None) or ()
            extras += extra_adressen(present, recorded)
        added = results.get("digitale-adressen", {}).get("toegevoegd")
        partij = self.data.partij or results.get("partij", {}).get("partij")
        if added and partij:
            found_partij = await self.ki.get_partij(partij, expand=["digitaleAdressen"])
            present = (found_partij.expand.digitale_adressen if found_partij.expand else None) or ()
            mine = {
                _key(a) for a in present if a.uuid in set(added)
            }  # only what this registration added
            extras += [
                u
                for u in extra_adressen(present, results["digitale-adressen"]["digitaleAdressen"])
                if any(_key(a) in mine for a in present if a.uuid == u)
            ]
        return extras
