"""The hand-over of a klantcontact: looking it up, answering it, recording who was involved.

Pure. The klantcontact itself is shown with `bff.compose.klantcontact.compose_klantcontact`
(shared with the klantbeeld); this module adds what the hand-over needs around it:

- `KlantcontactLookup`: the query of `GET /api/v1/klantcontacten` (a referentienummer is
  no personal data: up to 10 digits, as an agent types them: spaces are dropped) and
  `nummer_candidates`, the numbers to look for (as typed, and zero-padded to 10 digits:
  the BFF mints referentienummers with leading zeros, which callers leave out);
- `KlantcontactChange`: the PATCH body (the question `inhoud` <= 1000, the answer
  `reactie` <= 4000 characters, Open Klant's limits) and `plan_patch`;
- `ActorLink`/`ActorLinkView`: recording an actor as involved in a klantcontact;
- `data_subjects`: whom reading or changing klantcontacten processes data of, for the
  Logboek Dataverwerkingen: each betrokkene's partij, or the betrokkene itself when the
  caller is not known as a partij (an unknown caller's contactnaam is personal data too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator

from bff.compose.actor import ActorView
from bff.compose.base import InModel, OutModel
from bff.compose.internetaken import ActorId
from bff.privacy.processing import DataSubject
from bff.upstreams.klantinteracties.models import Klantcontact
from bff.upstreams.klantinteracties.writes import KlantcontactPatch
from bff.validation import Referentienummer

INHOUD_MAX = 1000
REACTIE_MAX = 4000


NUMMER_LENGTH = 10


def _typed_nummer(value: object) -> object:
    return "".join(value.split()) if isinstance(value, str) else value


class KlantcontactLookup(InModel):
    """Find a klantcontact by the number the caller or a colleague was given: its
    referentienummer or Open Klant's own `nummer`, spaces and leading zeros optional."""

    model_config = ConfigDict(strict=False)

    referentienummer: Annotated[Referentienummer, BeforeValidator(_typed_nummer)]


def nummer_candidates(typed: str) -> list[str]:
    """The numbers to look for, most likely first: as typed, then with its leading zeros."""
    return list(dict.fromkeys([typed, typed.zfill(NUMMER_LENGTH)]))


class KlantcontactChange(InModel):
    """New text for the question and/or the answer; an empty text clears it."""

    inhoud: str | None = Field(default=None, max_length=INHOUD_MAX)
    reactie: str | None = Field(default=None, max_length=REACTIE_MAX)

    @field_validator("inhoud", "reactie")
    @classmethod
    def _not_null(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError("Leave the field out, or send an empty text to clear it.")
        return value

    @model_validator(mode="after")
    def _something(self) -> KlantcontactChange:
        if not self.model_fields_set:
            raise ValueError("Send inhoud and/or reactie.")
        return self


def plan_patch(change: KlantcontactChange) -> KlantcontactPatch:
    """The upstream PATCH: exactly the fields sent, nothing else."""
    fields = {name: getattr(change, name) for name in change.model_fields_set}
    return KlantcontactPatch.model_validate(fields)


class ActorLink(InModel):
    """Who to record as involved: `actor` (an actor id), or, left out, yourself."""

    actor: ActorId | None = None


class ActorLinkView(OutModel):
    """An actor recorded as involved in a klantcontact."""

    klantcontact: str = Field(description="The klantcontact's uuid.")
    actor: ActorView


def data_subjects(klantcontacten: Iterable[Klantcontact]) -> list[DataSubject]:
    """The data subjects of these klantcontacten (from `hadBetrokkenen`), each once."""
    subjects: dict[tuple[str, str], DataSubject] = {}
    for kc in klantcontacten:
        for betrokkene in (kc.expand.had_betrokkenen or ()) if kc.expand else ():
            if betrokkene.was_partij is not None:
                subject = DataSubject.partij(betrokkene.was_partij.uuid)
            else:
                subject = DataSubject(betrokkene.uuid, "betrokkene")
            subjects.setdefault((subject.type, subject.id), subject)
    return list(subjects.values())
