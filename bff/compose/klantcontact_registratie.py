"""Registering a call in one request: the request models, their checks, the answer.

`KlantcontactRegistratieInput` is what the frontend sends at the end of a call, checked as
Klantinteracties checks it; `registratie_problems` and `code_problems` add the rules
across fields and against the reference lists (kanaal, taal), so every bad field is named
before anything is written. `plan_input` turns a valid request into the journal payload
(`bff.compose.klantcontact_registratie_plan`), `compose_klantcontact_registratie` a
registration into the answer. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, Protocol

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator

from bff.auth.identity import Medewerker
from bff.compose.base import InModel, OutModel
from bff.compose.klantcontact_registratie_plan import (
    BellerVerificatie,
    BetrokkeneGegevens,
    KlantcontactGegevens,
    KlantcontactPlanInput,
    MedewerkerRef,
)
from bff.compose.klantcontact_vervolg import (
    InterneTaakInput,
    ProductaanvraagInput,
    Uuid,
    actoren_problems,
)
from bff.compose.partij_registratie import (
    ContactnaamInput,
    DigitaalAdresInput,
    RegistratieLinks,
    adressen_problems,
    nieuwe_adressen,
    registratie_links,
    sleutel,
)
from bff.compose.partij_registratie_plan import NieuwePartij
from bff.compose.verificatie import VerificatieId
from bff.errors import InvalidParam
from bff.registration.model import Registration, RegistrationStatus
from bff.validation import Bsn, KvkNummer


class ReferenceLists(Protocol):
    """What the checks need of the reference lists (`bff.codes.CodeTables`)."""

    def is_valid_kanaal(self, code: str, on: date) -> bool: ...

    def is_valid_taal(self, code: str, on: date) -> bool: ...


# -- input ------------------------------------------------------------------------------


class KlantcontactInput(InModel):
    kanaal: str = Field(min_length=1, max_length=50, description="A current KANAAL code.")
    onderwerp: str = Field(min_length=1, max_length=200)
    inhoud: str | None = Field(default=None, max_length=1000)
    reactie: str | None = Field(default=None, max_length=4000)
    taal: str = Field(default="nld", min_length=1, max_length=3, description="ISO 639-2: `nld`.")
    vertrouwelijk: bool = False
    indicatie_contact_gelukt: bool | None = None
    verdere_actie_ondernomen: bool = False
    plaatsgevonden_op: AwareDatetime | None = Field(
        default=None, description="When the contact took place; default: when it was received."
    )

    @field_validator("verdere_actie_ondernomen")
    @classmethod
    def _niet_als_gelukt(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("indicatie_contact_gelukt") is True:
            raise ValueError("A contact that succeeded needs no further action.")
        return value


class KlantInput(InModel):
    """Who called: a known partij, a BSN or KvK-nummer (found or registered), or only a name."""

    partij_id: Uuid | None = None
    bsn: Bsn | None = None
    kvk_nummer: KvkNummer | None = None
    contactnaam: ContactnaamInput | None = None
    organisatienaam: str | None = Field(default=None, max_length=200)
    initiator: bool = Field(default=True, description="The klant started the contact.")


class RegistratieDigitaalAdres(DigitaalAdresInput):
    """`algemeen`: a digitaal adres of the partij (optionally its preferred one);
    `dit-verzoek`: given for this request only (a digitaal adres of the betrokkene)."""

    gebruik: Literal["algemeen", "dit-verzoek"]


class KlantcontactRegistratieInput(InModel):
    """`POST /api/v1/klantcontacten`: everything the agent entered at the end of a call."""

    klantcontact: KlantcontactInput
    klant: KlantInput
    digitale_adressen: list[RegistratieDigitaalAdres] = Field(default_factory=list, max_length=10)
    zaak: Uuid | None = Field(default=None, description="The zaak it was about (zaak uuid).")
    interne_taak: InterneTaakInput | None = None
    productaanvraag: ProductaanvraagInput | None = None
    verificatie: VerificatieId | None = Field(
        default=None,
        description="The id of the caller's verificatie (`POST /api/v1/verificaties`); with "
        "klantbeeld.require_verification the klantcontact records whether it was valid.",
    )


# -- checks across fields and against the reference lists ------------------------------------


UNIDENTIFIED_REFUSED = (
    "This municipality registers no contact with an unknown caller (C0992: onbekende klant, "
    "niet registreren): give a partij, BSN or KvK-nummer."
)


def registratie_problems(
    body: KlantcontactRegistratieInput, *, allow_unidentified: bool = True
) -> list[InvalidParam]:
    """The rules a single field cannot check, each named by the field to change.

    `allow_unidentified` (`registration.allow_unidentified_callers`): false refuses a
    klant given by name only."""
    klant = body.klant
    problems: list[InvalidParam] = []
    ids = {"partijId": klant.partij_id, "bsn": klant.bsn, "kvkNummer": klant.kvk_nummer}
    given = [name for name, value in ids.items() if value]
    for name in given[1:]:
        problems.append(
            InvalidParam(
                f"klant.{name}", "Identify the klant once: a partij, a BSN or a KvK-nummer."
            )
        )
    named = (klant.contactnaam and not klant.contactnaam.is_empty()) or klant.organisatienaam
    if not given and not allow_unidentified:
        problems.append(InvalidParam("klant", UNIDENTIFIED_REFUSED, "unidentified-caller"))
    elif not given and not named:
        problems.append(
            InvalidParam(
                "klant",
                "Give a partij, BSN or KvK-nummer, or for an unknown caller a contactnaam "
                "or organisatienaam.",
                "missing",
            )
        )
    for index, adres in enumerate(body.digitale_adressen):
        if adres.gebruik == "algemeen" and not given:
            problems.append(
                InvalidParam(
                    f"digitaleAdressen.{index}.gebruik",
                    "Only an identified klant keeps an address for general use; "
                    "use dit-verzoek for an unknown caller.",
                )
            )
        if adres.voorkeur and adres.gebruik != "algemeen":
            problems.append(
                InvalidParam(
                    f"digitaleAdressen.{index}.voorkeur",
                    "Only an address for general use can be the preferred one.",
                )
            )
    problems += actoren_problems(body.interne_taak, "interneTaak")
    if body.productaanvraag is not None:
        problems += actoren_problems(
            body.productaanvraag.interne_taak, "productaanvraag.interneTaak"
        )
    return problems + adressen_problems(body.digitale_adressen, "digitaleAdressen")


def code_problems(raw: Any, tables: ReferenceLists, on: date) -> list[InvalidParam]:
    """`kanaal` and `taal` must be known and valid on `on`; read from the raw body so they
    are reported together with every other bad field."""
    klantcontact = raw.get("klantcontact") if isinstance(raw, Mapping) else None
    if not isinstance(klantcontact, Mapping):
        return []
    problems = []
    kanaal, taal = klantcontact.get("kanaal"), klantcontact.get("taal", "nld")
    if isinstance(kanaal, str) and kanaal.strip() and not tables.is_valid_kanaal(kanaal, on):
        problems.append(
            InvalidParam("klantcontact.kanaal", "Not a current kanaal.", "unknown-code")
        )
    if isinstance(taal, str) and taal.strip() and not tables.is_valid_taal(taal, on):
        problems.append(
            InvalidParam(
                "klantcontact.taal", "Not a current ISO 639-2 taal code (e.g. nld).", "unknown-code"
            )
        )
    return problems


def plan_input(
    body: KlantcontactRegistratieInput,
    medewerker: Medewerker,
    verificatie: BellerVerificatie | None = None,
) -> KlantcontactPlanInput:
    klant = body.klant
    key = sleutel(bsn=klant.bsn, kvk_nummer=klant.kvk_nummer)
    return KlantcontactPlanInput(
        medewerker=MedewerkerRef(
            subject=medewerker.subject, naam=medewerker.naam, email=medewerker.email
        ),
        klantcontact=KlantcontactGegevens.model_validate(body.klantcontact.model_dump()),
        partij=klant.partij_id,
        # named from the BRP (persoon) or after the organisatienaam given (organisatie)
        nieuwe_partij=NieuwePartij(sleutel=key, naam=klant.organisatienaam) if key else None,
        betrokkene=BetrokkeneGegevens(
            contactnaam=klant.contactnaam.wire() if klant.contactnaam else None,
            organisatienaam=klant.organisatienaam,
            initiator=klant.initiator,
        ),
        zaak=body.zaak,
        adressen_partij=nieuwe_adressen(
            [a for a in body.digitale_adressen if a.gebruik == "algemeen"]
        ),
        adressen_betrokkene=nieuwe_adressen(
            [a for a in body.digitale_adressen if a.gebruik == "dit-verzoek"]
        ),
        interne_taak=body.interne_taak.gegevens() if body.interne_taak else None,
        productaanvraag=(
            body.productaanvraag.gegevens(aanvrager_bsn=klant.bsn) if body.productaanvraag else None
        ),
        verificatie=verificatie,
    )


# -- the answer -----------------------------------------------------------------------------


class KlantcontactRegistratie(OutModel):
    """What a registration made so far: every id, None while its step is not done."""

    registratie_id: str
    referentienummer: str = Field(description="The klantcontact's referentienummer.")
    status: RegistrationStatus
    klantcontact: str | None = None
    betrokkene: str | None = None
    partij: str | None = None
    onderwerpobject: str | None = None
    actorklantcontact: str | None = None
    interne_taak: str | None = None
    digitale_adressen: list[str] = Field(
        default_factory=list, description="For general use: digitale adressen of the partij."
    )
    voorkeurs_digitaal_adres: str | None = None
    digitale_adressen_betrokkene: list[str] = Field(
        default_factory=list, description="For this request only: of the betrokkene."
    )
    productaanvraag: str | None = Field(default=None, description="The object's uuid.")
    bijlage: str | None = None
    productaanvraag_interne_taak: str | None = None
    verificatie: BellerVerificatie | None = Field(
        default=None, description="What the klantcontact records about verifying the caller."
    )
    links: RegistratieLinks


def compose_klantcontact_registratie(reg: Registration) -> KlantcontactRegistratie:
    done = reg.results()

    def made(step: str, key: str) -> Any:
        return done.get(step, {}).get(key)

    known = reg.payload.get("partij")
    return KlantcontactRegistratie(
        registratie_id=reg.id,
        referentienummer=reg.referentienummer,
        status=reg.status,
        klantcontact=made("klantcontact", "klantcontact"),
        betrokkene=made("klantcontact", "betrokkene"),
        partij=made("partij", "partij") or (known if isinstance(known, str) else None),
        onderwerpobject=made("klantcontact", "onderwerpobject"),
        actorklantcontact=made("actorklantcontact", "actorklantcontact"),
        interne_taak=made("internetaak", "internetaak"),
        digitale_adressen=made("digitale-adressen", "digitaleAdressen") or [],
        voorkeurs_digitaal_adres=made("digitale-adressen", "voorkeursDigitaalAdres"),
        digitale_adressen_betrokkene=made("digitale-adressen-betrokkene", "digitaleAdressen") or [],
        productaanvraag=made("productaanvraag", "object"),
        bijlage=made("bijlage", "bijlage"),
        productaanvraag_interne_taak=made("internetaak-productaanvraag", "internetaak"),
        verificatie=reg.payload.get("verificatie"),
        links=registratie_links(reg),
    )
