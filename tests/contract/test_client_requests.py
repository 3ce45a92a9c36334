"""The requests our upstream clients send, against the official specs in `../shared/specs`.

Every write method is called once against a respx router; each captured request body is
validated against the request schema of its operation, and every query parameter name
our list calls send must be declared by that operation (Open Klant answers 400
`unknown-parameters` otherwise).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime

import httpx
import pytest
import respx

from bff.upstreams.brp import BrpClient
from bff.upstreams.klantinteracties import KlantinteractiesClient
from bff.upstreams.klantinteracties.models import (
    ActorIdentificatie,
    Actoridentificator,
    Adres,
    Bijlageidentificator,
    Contactnaam,
    Onderwerpobjectidentificator,
    Partij,
    PartijIdentificatorGroepType,
)
from bff.upstreams.klantinteracties.writes import (
    ActorCreate,
    BetrokkeneCreate,
    BijlageCreate,
    DigitaalAdresCreate,
    DigitaalAdresPatch,
    InterneTaakCreate,
    InterneTaakPatch,
    KlantcontactCreate,
    KlantcontactPatch,
    MaakBetrokkene,
    MaakKlantcontact,
    MaakOnderwerpobject,
    OnderwerpobjectCreate,
    PartijCreate,
    PartijIdentificatieWrite,
    PartijIdentificatorCreate,
    PartijPatch,
)
from bff.upstreams.objecten import ObjectenClient
from bff.upstreams.referentielijsten import ReferentielijstenClient
from bff.upstreams.zaken import ZakenClient
from tests.contract.oas import SKIP_REASON, specs_available
from tests.contract.request_capture import Clients, answer, check, sent
from tests.upstreams import ki_samples as s
from tests.upstreams import zgw_samples as z
from tests.upstreams.conftest import BRP, KI, OBJECTEN, REF, ZAKEN, http_client

pytestmark = pytest.mark.skipif(not specs_available(), reason=SKIP_REASON)

BSN = PartijIdentificatorGroepType.model_validate(s.BSN_IDENTIFICATOR)
KVK = PartijIdentificatorGroepType(
    code_register="hr",
    code_objecttype="niet_natuurlijk_persoon",
    code_soort_object_id="kvk_nummer",
    object_id="69599084",
)
VESTIGING = PartijIdentificatorGroepType(
    code_register="hr",
    code_objecttype="vestiging",
    code_soort_object_id="vestigingsnummer",
    object_id="000038509504",
)
ZAAK = Onderwerpobjectidentificator(
    object_id=z.ZAAK, code_objecttype="zaak", code_register="open-zaak", code_soort_object_id="uuid"
)
MIEKE = Actoridentificator(
    object_id="mieke@gemeente.nl",
    code_objecttype="mdw",
    code_register="msei",
    code_soort_object_id="email",
)
WHEN = datetime(2026, 11, 2, 9, 15, tzinfo=UTC)
LOADED = Partij.model_validate(s.partij())


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    router = respx.MockRouter(assert_all_called=False)
    router.route().mock(side_effect=answer)
    made = Clients(
        router=router,
        ki=KlantinteractiesClient(http_client(router, KI), timeout_s=5),
        zaken=ZakenClient(http_client(router, ZAKEN), timeout_s=5),
        brp=BrpClient(http_client(router, BRP), timeout_s=5),
        objecten=ObjectenClient(http_client(router, OBJECTEN), timeout_s=5),
        ref=ReferentielijstenClient(http_client(router, REF), timeout_s=5),
    )
    yield made
    for client in (made.ki, made.zaken, made.brp, made.objecten, made.ref):
        await client.aclose()


# -- Klantinteracties ---------------------------------------------------------------------

WRITES: dict[str, Callable[[Clients], Awaitable[object]]] = {
    "create persoon partij with BSN": lambda c: c.ki.create_partij(
        PartijCreate(
            soort_partij="persoon",
            voorkeurstaal="nld",
            partij_identificatie=PartijIdentificatieWrite(
                contactnaam=Contactnaam(voorletters="J", voornaam="Jan", achternaam="Vries")
            ),
            partij_identificatoren=[PartijIdentificatorCreate(partij_identificator=BSN)],
            correspondentieadres=Adres(adresregel1="Hoofdstraat 1", land="NL"),
        )
    ),
    "create organisatie partij with KvK": lambda c: c.ki.create_partij(
        PartijCreate(
            soort_partij="organisatie",
            partij_identificatie=PartijIdentificatieWrite(naam="ACME B.V."),
            partij_identificatoren=[PartijIdentificatorCreate(partij_identificator=KVK)],
        )
    ),
    "create contactpersoon partij": lambda c: c.ki.create_partij(
        PartijCreate(
            soort_partij="contactpersoon",
            partij_identificatie=PartijIdentificatieWrite(
                werkte_voor_partij=s.PARTIJ, contactnaam=Contactnaam(achternaam="Jansen")
            ),
        )
    ),
    "patch partij": lambda c: c.ki.patch_partij(
        s.PARTIJ,
        PartijPatch.of(
            LOADED,
            partij_identificatie=PartijIdentificatieWrite(contactnaam=Contactnaam(voornaam="J")),
            indicatie_geheimhouding=True,
        ),
    ),
    "patch partij identificatoren": lambda c: c.ki.patch_partij(
        s.PARTIJ,
        PartijPatch.of(
            LOADED, partij_identificatoren=[PartijIdentificatorCreate(partij_identificator=BSN)]
        ),
    ),
    "set voorkeurs digitaal adres": lambda c: c.ki.set_voorkeurs_digitaal_adres(LOADED, s.ADRES),
    "clear voorkeurs digitaal adres": lambda c: c.ki.set_voorkeurs_digitaal_adres(LOADED, None),
    "create vestiging identificator": lambda c: c.ki.create_partij_identificator(
        PartijIdentificatorCreate(
            partij_identificator=VESTIGING,
            identificeerde_partij=s.PARTIJ,
            sub_identificator_van=s.IDENT,
        )
    ),
    "create digitaal adres": lambda c: c.ki.create_digitaal_adres(
        DigitaalAdresCreate(
            adres="0612345678",
            soort_digitaal_adres="telefoonnummer",
            verstrekt_door_partij=s.PARTIJ,
            is_standaard_adres=True,
            omschrijving="mobiel",
        )
    ),
    "create digitaal adres of a betrokkene": lambda c: c.ki.create_digitaal_adres(
        DigitaalAdresCreate(
            adres="jan@example.nl",
            soort_digitaal_adres="email",
            verstrekt_door_betrokkene=s.BETROKKENE,
        )
    ),
    "patch digitaal adres": lambda c: c.ki.patch_digitaal_adres(
        s.ADRES, DigitaalAdresPatch(adres="jan@example.org", is_standaard_adres=False)
    ),
    "maak klantcontact": lambda c: c.ki.maak_klantcontact(
        MaakKlantcontact(
            klantcontact=KlantcontactCreate(
                kanaal="telefoon",
                onderwerp="Paspoort",
                inhoud="Vraag over kosten",
                taal="nld",
                vertrouwelijk=False,
                indicatie_contact_gelukt=False,
                verdere_actie_ondernomen=True,
                plaatsgevonden_op=WHEN,
                referentienummer="1234567",
                metadata={"bron": "kcc"},
            ),
            betrokkene=MaakBetrokkene(
                was_partij=s.PARTIJ, contactnaam=Contactnaam(voornaam="Jan", achternaam="Vries")
            ),
            onderwerpobject=MaakOnderwerpobject(onderwerpobjectidentificator=ZAAK),
        )
    ),
    "maak klantcontact for an unknown caller": lambda c: c.ki.maak_klantcontact(
        MaakKlantcontact(
            klantcontact=KlantcontactCreate(
                kanaal="balie", onderwerp="Afval", taal="nld", vertrouwelijk=True
            ),
            betrokkene=MaakBetrokkene(organisatienaam="Buurtvereniging"),
        )
    ),
    "patch klantcontact": lambda c: c.ki.patch_klantcontact(
        s.KLANTCONTACT, KlantcontactPatch(reactie="Teruggebeld", indicatie_contact_gelukt=True)
    ),
    "create betrokkene": lambda c: c.ki.create_betrokkene(
        BetrokkeneCreate(
            had_klantcontact=s.KLANTCONTACT,
            was_partij=s.PARTIJ,
            rol="vertegenwoordiger",
            initiator=False,
            bezoekadres=Adres(straatnaam="Dorpsstraat", huisnummer=3, postcode="1234 AB"),
        )
    ),
    "create onderwerpobject": lambda c: c.ki.create_onderwerpobject(
        OnderwerpobjectCreate(klantcontact=s.KLANTCONTACT, onderwerpobjectidentificator=ZAAK)
    ),
    "create bijlage": lambda c: c.ki.create_bijlage(
        BijlageCreate(
            was_bijlage_van_klantcontact=s.KLANTCONTACT,
            bijlageidentificator=Bijlageidentificator(
                object_id=s.BIJLAGE,
                code_objecttype="productaanvraag",
                code_register="objecten",
                code_soort_object_id="uuid",
            ),
        )
    ),
    "create medewerker actor": lambda c: c.ki.create_actor(
        ActorCreate(
            naam="Mieke Medewerker",
            soort_actor="medewerker",
            actoridentificator=MIEKE,
            actor_identificatie=ActorIdentificatie(
                functie="KCC", telefoonnummer="0201234567", emailadres="mieke@gemeente.nl"
            ),
        )
    ),
    "create organisatorische eenheid actor": lambda c: c.ki.create_actor(
        ActorCreate(
            naam="Team Burgerzaken",
            soort_actor="organisatorische_eenheid",
            actor_identificatie=ActorIdentificatie(omschrijving="Burgerzaken"),
        )
    ),
    "create actorklantcontact": lambda c: c.ki.create_actorklantcontact(
        actor_uuid=s.ACTOR, klantcontact_uuid=s.KLANTCONTACT
    ),
    "create interne taak": lambda c: c.ki.create_internetaak(
        InterneTaakCreate(
            aanleidinggevend_klantcontact=s.KLANTCONTACT,
            gevraagde_handeling="Terugbellen",
            toegewezen_aan_actoren=[s.ACTOR],
            toelichting="Voor vrijdag",
        )
    ),
    "patch interne taak": lambda c: c.ki.patch_internetaak(
        s.TAAK, InterneTaakPatch(status="verwerkt", toegewezen_aan_actoren=[s.ACTOR])
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
async def test_klantinteracties_write_matches_the_spec(clients: Clients, name: str) -> None:
    await sent(clients, WRITES[name](clients))


READS: dict[str, Callable[[Clients], Awaitable[object]]] = {
    "find partij": lambda c: c.ki.find_partij(BSN, expand=["betrokkenen.hadKlantcontact"]),
    "get partij": lambda c: c.ki.get_partij(s.PARTIJ, expand=["digitaleAdressen"]),
    "find partij-identificatoren": lambda c: c.ki.find_partij_identificatoren(BSN),
    "digitale adressen of a partij": lambda c: c.ki.list_digitale_adressen(s.PARTIJ),
    "find digitale adressen": lambda c: c.ki.find_digitale_adressen("a@b.nl", soort="email"),
    "digitale adressen containing": lambda c: c.ki.find_digitale_adressen_containing(
        "A@b.nl", soort="email"
    ),
    "klantcontacten by uuid": lambda c: c.ki.klantcontacten_page(
        partij_uuid=s.PARTIJ, expand=["hadBetrokkenen.wasPartij", "omvatteBijlagen"]
    ),
    "klantcontacten by identificator": lambda c: c.ki.klantcontacten_page(
        partij_identificator=BSN, page=2, page_size=50
    ),
    "get klantcontact": lambda c: c.ki.get_klantcontact(
        s.KLANTCONTACT, expand=["hadBetrokkenen.digitaleAdressen", "leiddeTotInterneTaken"]
    ),
    "find klantcontact": lambda c: c.ki.find_klantcontact("1234567"),
    "betrokkenen": lambda c: c.ki.list_betrokkenen(
        partij_uuid=s.PARTIJ, klantcontact_uuid=s.KLANTCONTACT, expand=["digitaleAdressen"]
    ),
    "onderwerpobjecten": lambda c: c.ki.list_onderwerpobjecten(s.KLANTCONTACT),
    "bijlagen": lambda c: c.ki.list_bijlagen(s.KLANTCONTACT),
    "find actoren": lambda c: c.ki.find_actoren(MIEKE),
    "list actoren": lambda c: c.ki.list_actoren(
        naam="Team", soort_actor="organisatorische_eenheid", indicatie_actief=True
    ),
    "actorklantcontacten": lambda c: c.ki.list_actorklantcontacten(
        klantcontact_uuid=s.KLANTCONTACT, actor_uuid=s.ACTOR
    ),
    "internetaken": lambda c: c.ki.internetaken_page(
        toegewezen_aan_actor_uuid=s.ACTOR,
        aanleidinggevend_klantcontact_uuid=s.KLANTCONTACT,
        status="te_verwerken",
    ),
    "klantinteracties probe": lambda c: c.ki.probe(),
    "zaken probe": lambda c: c.zaken.probe(),
    "objecten probe": lambda c: c.objecten.probe(),
    "referentielijsten items": lambda c: c.ref.list_items("KANAAL"),
    "referentielijsten probe": lambda c: c.ref.probe(),
}


@pytest.mark.parametrize("name", list(READS))
async def test_list_queries_use_only_declared_parameters(clients: Clients, name: str) -> None:
    await sent(clients, READS[name](clients))


# -- Zaken, BRP, Objects --------------------------------------------------------------


async def test_zaken_zoek_body_matches_the_spec(clients: Clients) -> None:
    request = await sent(clients, clients.zaken.zaken_of_persoon("999993653", page_size=50))
    assert request.headers["Content-Crs"] == "EPSG:4326"


BRP_QUERIES: dict[str, tuple[str, Callable[[Clients], Awaitable[object]]]] = {
    "bsn": (
        "RaadpleegMetBurgerservicenummer",
        lambda c: c.brp.raadpleeg_met_burgerservicenummer(
            ["999993653", "999995078"],
            fields=["burgerservicenummer", "naam", "geboorte.datum", "adressering"],
            gemeente_van_inschrijving="0599",
        ),
    ),
    "naam": (
        "ZoekMetGeslachtsnaamEnGeboortedatum",
        lambda c: c.brp.zoek_met_geslachtsnaam_en_geboortedatum(
            geslachtsnaam="Moulin",
            geboortedatum=date(1985, 6, 1),
            voornamen="Suzanne",
            voorvoegsel="van",
            geslacht="V",
            inclusief_overleden_personen=True,
            fields=["burgerservicenummer", "naam"],
        ),
    ),
    "postcode": (
        "ZoekMetPostcodeEnHuisnummer",
        lambda c: c.brp.zoek_met_postcode_en_huisnummer(
            postcode="3077AW",
            huisnummer=31,
            huisletter="a",
            huisnummertoevoeging="bis",
            geboortedatum=date(1985, 6, 1),
            geslachtsnaam="Moulin",
            fields=["burgerservicenummer", "naam", "verblijfplaats"],
        ),
    ),
}


@pytest.mark.parametrize("name", list(BRP_QUERIES))
async def test_brp_query_matches_its_type_schema(clients: Clients, name: str) -> None:
    schema, call = BRP_QUERIES[name]
    before = len(clients.router.calls)
    await call(clients)
    (made,) = clients.router.calls[before:]
    check(made.request)  # the generic PersonenQuery
    check(made.request, schema=schema)  # and the concrete query type


async def test_brp_query_with_a_malformed_bsn_would_fail_the_contract(clients: Clients) -> None:
    request = httpx.Request(
        "POST",
        f"{BRP}/personen",
        json={
            "type": "RaadpleegMetBurgerservicenummer",
            "fields": ["naam"],
            "burgerservicenummer": ["12"],
        },
    )
    with pytest.raises(AssertionError, match="schema error"):
        check(request, schema="RaadpleegMetBurgerservicenummer")


async def test_objects_create_matches_the_spec(clients: Clients) -> None:
    request = await sent(
        clients,
        clients.objecten.create_object(
            type_url="http://objecttypen.test/api/v2/objecttypes/cccccccc-0000-4000-8000-000000000001",
            type_version=1,
            data={"product": "paspoort", "aantal": 1},
            start_at=date(2026, 11, 2),
            object_uuid="dddddddd-0000-4000-8000-000000000001",  # a client-chosen uuid
        ),
    )
    assert request.headers["Content-Crs"] == "EPSG:4326"
