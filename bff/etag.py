"""Optimistic concurrency for the BFF's PATCH endpoints: ETag, If-Match and the guarded write.

Open Klant has no ETag and no If-Match (PUT/PATCH are last-write-wins), so the BFF
supplies the lock. An entity tag is a strong hash of a *version fingerprint*: the
resource's uuid plus every field of its upstream representation that a write can
change, whether through the BFF or directly upstream:

    klantcontact   kanaal, onderwerp, inhoud, reactie, taal, vertrouwelijk,
                   indicatieContactGelukt, verdereActieOndernomen, plaatsgevondenOp,
                   referentienummer, metadata
    interne taak   gevraagdeHandeling, toelichting, status, toegewezenAanActoren (as a set),
                   afgehandeldOp, aanleidinggevendKlantcontact, referentienummer

Relations that are separate upstream resources (betrokkenen, actoren linked through
actorklantcontacten, onderwerpobjecten, bijlagen, interne taken) are left out: adding a
colleague as actor is not a conflicting edit of the answer.

A PATCH (`conditional_write`) needs `If-Match` (428 without; `*` is refused, it would
bypass the check). Inside one BFF the read-compare-write is serialised per resource
(`KeyedLocks`); the current upstream version is read just before writing, and a
mismatch is a 412 carrying the current version and its ETag. Between that read and
the upstream PATCH another *replica* or a direct upstream client can still slip in: the
window is one round trip, not the minutes an agent spends typing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol, TypeVar

from starlette.requests import Request

from bff.errors import PreconditionFailed, PreconditionRequired
from bff.upstreams.klantinteracties.models import InterneTaak, Klantcontact

T = TypeVar("T")
R = TypeVar("R")

CHANGED_DETAIL = (
    "Someone else changed this {kind} after you opened it. The current version is in "
    "'current': check it, then send your change again with its ETag."
)


def entity_tag(kind: str, fingerprint: Mapping[str, Any]) -> str:
    """A strong entity tag (quoted) over `kind` and the canonical JSON of `fingerprint`."""
    canonical = json.dumps(
        {"kind": kind, **fingerprint}, sort_keys=True, separators=(",", ":"), default=str
    )
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def klantcontact_etag(kc: Klantcontact) -> str:
    return entity_tag(
        "klantcontact",
        {
            "uuid": kc.uuid,
            "kanaal": kc.kanaal,
            "onderwerp": kc.onderwerp,
            "inhoud": kc.inhoud or "",
            "reactie": kc.reactie or "",
            "taal": kc.taal,
            "vertrouwelijk": kc.vertrouwelijk,
            "indicatieContactGelukt": kc.indicatie_contact_gelukt,
            "verdereActieOndernomen": kc.verdere_actie_ondernomen,
            "plaatsgevondenOp": kc.plaatsgevonden_op.isoformat() if kc.plaatsgevonden_op else None,
            "referentienummer": kc.referentienummer or "",
            "metadata": dict(kc.metadata or {}),
        },
    )


def internetaak_etag(taak: InterneTaak) -> str:
    return entity_tag(
        "internetaak",
        {
            "uuid": taak.uuid,
            "gevraagdeHandeling": taak.gevraagde_handeling,
            "toelichting": taak.toelichting or "",
            "status": taak.status,
            "toegewezenAanActoren": sorted(a.uuid for a in taak.toegewezen_aan_actoren),
            "afgehandeldOp": taak.afgehandeld_op.isoformat() if taak.afgehandeld_op else None,
            "aanleidinggevendKlantcontact": taak.aanleidinggevend_klantcontact.uuid,
            "referentienummer": taak.referentienummer or "",
        },
    )


def parse_if_match(value: str | None) -> frozenset[str]:
    """The entity tags of an `If-Match` header; 428 when absent, empty or `*`."""
    if value is None or not value.strip():
        raise PreconditionRequired(
            "Send the ETag of the version you read as If-Match, so a change someone else "
            "made meanwhile is not overwritten."
        )
    tags = frozenset(part.strip() for part in value.split(",") if part.strip())
    if "*" in tags:
        raise PreconditionRequired(
            "If-Match: * would overwrite any version; send the ETag of the version you read."
        )
    return tags


def if_match(request: Request) -> frozenset[str]:
    return parse_if_match(request.headers.get("if-match"))


def matches(tags: frozenset[str], etag: str) -> bool:
    """Strong comparison (RFC 9110 13.1.1): a weak tag `W/"..."` never matches."""
    return etag in tags


class Locks(Protocol):
    """Mutual exclusion per key: `KeyedLocks` within one process, or across replicas
    (`bff.registration.postgresql.AdvisoryLocks`)."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...


class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


async def conditional_write(
    locks: Locks,
    *,
    kind: str,
    key: str,
    tags: frozenset[str],
    read: Callable[[], Awaitable[T]],
    etag_of: Callable[[T], str],
    current_body: Callable[[T], Awaitable[Any]],
    write: Callable[[T], Awaitable[R]],
) -> R:
    """Read the current version, refuse (412) when it is not in `tags`, else write.

    `read` may refuse on its own (403, 404); `current_body` renders the version for the
    412 body; `write` gets the version it may change and may still refuse the change
    itself (422). The whole sequence holds the lock of `key`.
    """
    async with locks.hold(f"{kind}:{key}"):
        current = await read()
        etag = etag_of(current)
        if not matches(tags, etag):
            raise PreconditionFailed(
                CHANGED_DETAIL.format(kind=kind), current=await current_body(current), etag=etag
            )
        return await write(current)
