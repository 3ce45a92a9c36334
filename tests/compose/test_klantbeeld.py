"""compose_klantbeeld: section statuses, flags, paging, and when the answer is a 404 or 503."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from bff.compose.klantbeeld import (
    Fetched,
    KlantbeeldSources,
    compose_klantbeeld,
    decode_cursor,
    encode_cursor,
    verdict,
)
from bff.compose.zaak import ZaakParts
from bff.upstreams.brp import Persoon
from bff.upstreams.catalogi import StatusType, ZaakType
from bff.upstreams.klantinteracties import PageOf
from bff.upstreams.klantinteracties.models import Klantcontact
from tests.compose import samples as s

BSN = "999993653"


def persoon(**extra: Any) -> Persoon:
    return Persoon.model_validate(
        {"burgerservicenummer": BSN, "naam": {"volledigeNaam": "Suzanne Moulin"}, **extra}
    )


def page(
    *kcs: Klantcontact, count: int | None = None, has_next: bool = False
) -> PageOf[Klantcontact]:
    return PageOf(items=list(kcs), count=len(kcs) if count is None else count, has_next=has_next)


def sources(**changes: Any) -> KlantbeeldSources:
    base = KlantbeeldSources(
        partij=Fetched(value=s.partij()),
        klantcontacten=Fetched(value=page(s.klantcontact(expand=s.full_expand()))),
        actoren=Fetched(value={s.AFDELING: s.actor(s.AFDELING, "organisatorische_eenheid")}),
        persoon=Fetched(value=persoon()),
        zaken=Fetched(value=[s.zaak()]),
        zaak_parts=Fetched(value={}),
        bsn=BSN,
        page=1,
        page_size=20,
    )
    return replace(base, **changes)


def compose(src: KlantbeeldSources, may_read: bool = False) -> Any:
    return compose_klantbeeld(src, codes=s.CODES, may_read_vertrouwelijk=may_read)


def test_every_section_is_ok_when_every_source_answered() -> None:
    made = compose(sources())
    assert made.partij.status == made.persoon.status == "ok"
    assert made.klantcontacten.status == made.zaken.status == "ok"
    assert made.partij.partij.naam == "Jan de Vries"
    assert made.persoon.persoon.naam == "Suzanne Moulin"
    assert [z.identificatie for z in made.zaken.items] == ["ZAAK-2026-0000001"]
    assert made.niet_geregistreerd is False


@pytest.mark.parametrize("reason", ["timeout", "failed"])
def test_a_failed_source_makes_its_section_unavailable_naming_upstream_and_reason(
    reason: str,
) -> None:
    made = compose(sources(persoon=Fetched.failed("brp", reason)))  # type: ignore[arg-type]
    assert made.persoon.status == "unavailable"
    assert made.persoon.persoon is None
    assert [p.model_dump() for p in made.persoon.problems] == [
        {"upstream": "brp", "reason": reason}
    ]
    assert made.partij.status == "ok"


def test_klantcontacten_unavailable_when_klantinteracties_failed() -> None:
    made = compose(
        sources(
            klantcontacten=Fetched.failed("klantinteracties", "timeout"),
            actoren=Fetched.failed("klantinteracties", "timeout"),
        )
    )
    assert made.klantcontacten.status == "unavailable"
    assert made.klantcontacten.items == []
    assert len(made.klantcontacten.problems) == 1


def test_klantcontacten_partial_when_the_actoren_of_interne_taken_are_missing() -> None:
    made = compose(sources(actoren=Fetched.failed("klantinteracties", "timeout")))
    section = made.klantcontacten
    assert section.status == "partial"
    assert section.problems[0].reason == "timeout"
    (taak,) = section.items[0].interne_taken
    assert {a.naam for a in taak.toegewezen_aan_actoren} == {None}


def test_zaken_partial_when_zaaktype_and_status_could_not_be_resolved() -> None:
    bare = s.zaak(expand=False)
    made = compose(
        sources(zaken=Fetched(value=[bare]), zaak_parts=Fetched.failed("catalogi", "failed"))
    )
    assert made.zaken.status == "partial"
    assert made.zaken.problems[0].upstream == "catalogi"
    assert made.zaken.items[0].zaaktype is None


def test_zaken_take_zaaktype_and_status_from_the_catalogi_fallback() -> None:
    bare = s.zaak(expand=False)
    expanded = s.zaak()
    assert expanded.expand is not None
    parts = ZaakParts(
        zaaktype=ZaakType.model_validate({"url": "http://c/zt", "omschrijving": "Paspoort"}),
        status=expanded.expand.status,
        statustype=StatusType.model_validate(
            {
                "url": "http://c/st",
                "omschrijving": "Afgerond",
                "zaaktype": "http://c/zt",
                "volgnummer": 9,
            }
        ),
    )
    made = compose(
        sources(zaken=Fetched(value=[bare]), zaak_parts=Fetched(value={bare.uuid: parts}))
    )
    assert (made.zaken.items[0].zaaktype, made.zaken.items[0].status) == ("Paspoort", "Afgerond")
    assert made.zaken.status == "ok"


def test_zaken_newest_first_and_joined_into_onderwerpobjecten() -> None:
    older = s.zaak(
        "aaaaaaaa-0000-4000-8000-000000000009", startdatum="2025-01-01", identificatie="Z-OUD"
    )
    made = compose(sources(zaken=Fetched(value=[older, s.zaak()])))
    assert [z.identificatie for z in made.zaken.items] == ["ZAAK-2026-0000001", "Z-OUD"]
    (obj,) = made.klantcontacten.items[0].onderwerpobjecten
    assert obj.zaak is not None
    assert obj.zaak.status == "In behandeling"


def test_klantcontacten_newest_first_with_a_cursor_to_the_next_page() -> None:
    old = s.klantcontact(
        "22222222-2222-4222-8222-000000000001", plaatsgevondenOp="2025-01-01T09:00:00Z"
    )
    new = s.klantcontact(
        "22222222-2222-4222-8222-000000000002", plaatsgevondenOp="2026-01-01T09:00:00Z"
    )
    made = compose(
        sources(klantcontacten=Fetched(value=page(old, new, count=45, has_next=True)), page=2)
    )
    section = made.klantcontacten
    assert [kc.uuid for kc in section.items] == [new.uuid, old.uuid]
    assert section.count == 45
    assert section.next_cursor is not None
    assert decode_cursor(section.next_cursor) == (3, 20)


def test_last_page_has_no_next_cursor() -> None:
    assert compose(sources()).klantcontacten.next_cursor is None


def test_confidential_klantcontact_hidden_unless_the_medewerker_may_read_it() -> None:
    kc = s.klantcontact(vertrouwelijk=True)
    src = sources(klantcontacten=Fetched(value=page(kc)))
    assert compose(src).klantcontacten.items[0].inhoud is None
    assert compose(src, may_read=True).klantcontacten.items[0].inhoud is not None


def test_betrokkenen_are_named_by_the_partij_of_the_klantbeeld_when_not_expanded_again() -> None:
    betrokkene = s.betrokkene_body(contactnaam=None)
    kc = s.klantcontact(expand={"hadBetrokkenen": [betrokkene]})
    made = compose(sources(klantcontacten=Fetched(value=page(kc))))
    assert made.klantcontacten.items[0].betrokkenen[0].naam == "Jan de Vries"


def test_niet_geregistreerd_when_brp_knows_the_bsn_and_there_is_no_partij() -> None:
    made = compose(sources(partij=Fetched(), klantcontacten=Fetched(value=page())))
    assert made.niet_geregistreerd is True
    assert made.partij.status == "ok"
    assert made.partij.partij is None
    assert made.persoon.persoon is not None


def test_not_niet_geregistreerd_when_klantinteracties_could_not_say() -> None:
    made = compose(sources(partij=Fetched.failed("klantinteracties", "failed")))
    assert made.niet_geregistreerd is False


def test_geheimhouding_flagged_when_the_partij_says_so() -> None:
    made = compose(sources(partij=Fetched(value=s.partij(indicatieGeheimhouding=True))))
    assert made.geheimhouding is True


def test_geheimhouding_flagged_when_the_brp_says_so() -> None:
    made = compose(sources(persoon=Fetched(value=persoon(geheimhoudingPersoonsgegevens=True))))
    assert made.geheimhouding is True
    assert made.persoon.persoon.geheimhouding_persoonsgegevens is True


def test_no_geheimhouding_by_default() -> None:
    assert compose(sources()).geheimhouding is False


def test_persoon_and_zaken_are_null_without_a_bsn() -> None:
    made = compose(sources(persoon=None, zaken=None, bsn=None))
    assert made.persoon is None
    assert made.zaken is None


def test_codes_stale_is_passed_on() -> None:
    made = compose_klantbeeld(
        sources(), codes=replace(s.CODES, stale=True), may_read_vertrouwelijk=False
    )
    assert made.codes_stale is True


def _nothing() -> Mapping[str, Any]:
    return {
        "partij": Fetched(),
        "klantcontacten": Fetched(value=page()),
        "actoren": Fetched(value={}),
        "persoon": Fetched(),
        "zaken": Fetched(value=[]),
    }


def test_verdict_not_found_when_every_source_answered_and_none_knows_the_person() -> None:
    assert verdict(sources(**_nothing())) == "not_found"


def test_verdict_ok_when_only_brp_knows_the_person() -> None:
    assert verdict(sources(**{**_nothing(), "persoon": Fetched(value=persoon())})) == "ok"


def test_verdict_ok_when_one_source_failed_and_the_others_know_nothing() -> None:
    changes = {**_nothing(), "zaken": Fetched.failed("zaken", "timeout")}
    assert verdict(sources(**changes)) == "ok"


def test_verdict_unavailable_when_every_source_failed() -> None:
    failed: Mapping[str, Any] = {
        "partij": Fetched.failed("klantinteracties", "failed"),
        "klantcontacten": Fetched.failed("klantinteracties", "failed"),
        "persoon": Fetched.failed("brp", "timeout"),
        "zaken": Fetched.failed("zaken", "failed"),
    }
    assert verdict(sources(**failed)) == "unavailable"


def test_verdict_for_an_organisatie_counts_only_klantinteracties() -> None:
    failed: Mapping[str, Any] = {
        "partij": Fetched.failed("klantinteracties", "failed"),
        "klantcontacten": Fetched.failed("klantinteracties", "failed"),
    }
    assert verdict(sources(persoon=None, zaken=None, bsn=None, **failed)) == "unavailable"


def test_cursor_round_trips_and_refuses_anything_else() -> None:
    assert decode_cursor(encode_cursor(4, 20)) == (4, 20)
    for bad in ("", "abc", encode_cursor(4, 20)[:-2] + "!!", "a2IxOjA6MjA"):  # the last: page 0
        with pytest.raises(ValueError, match="cursor"):
            decode_cursor(bad)
