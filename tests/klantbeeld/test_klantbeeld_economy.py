"""Upstream economy of the klantbeeld: how many calls, and how many round trips deep.

The demo person has 20 klantcontacten with betrokkenen, interne taken, onderwerpobjecten
and bijlagen. One interne taak is given to an afdeling, an actor never seen inline, so a
cold actor cache costs a call. Counted with `RecordingTransport`, no clocks.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.klantbeeld.recording import RecordingTransport

PATH = "/api/v1/klantbeeld"
BODY = {"bsn": DEMO_BSN, "pageSize": 20}


def demo_partij(bff: Bff) -> str:
    store = bff.sandbox.klantinteracties
    return next(
        str(p["uuid"])
        for p in store.partijen.values()
        if any(i["objectId"] == DEMO_BSN for i in store.identificatoren_of_partij(p["uuid"]))
    )


def give_a_taak_to_an_afdeling(bff: Bff) -> str:
    store = bff.sandbox.klantinteracties
    afdeling = next(
        uuid for uuid, a in store.actoren.items() if a["soortActor"] == "organisatorische_eenheid"
    )
    demo = demo_partij(bff)
    kcs = {b["hadKlantcontact"] for b in store.betrokkenen.values() if b["wasPartij"] == demo}
    taak = next(t for t in store.internetaken.values() if t["aanleidinggevendKlantcontact"] in kcs)
    taak["toegewezenAanActoren"] = [afdeling]
    return afdeling


async def post(bff: Bff, body: dict[str, Any]) -> dict[str, Any]:
    r = await bff.client.post(PATH, json=body, headers=bff.auth())
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()
    return found


async def test_warm_klantbeeld_of_the_demo_person_takes_at_most_six_upstream_calls() -> None:
    recorder = RecordingTransport()
    async with start_bff(wrap_transport=recorder.wrap) as bff:
        afdeling = give_a_taak_to_an_afdeling(bff)
        await bff.services.codes.tables()
        recorder.reset()
        cold = await post(bff, BODY)
        cold_calls = list(recorder.calls)
        recorder.reset()
        warm = await post(bff, BODY)
        warm_calls = list(recorder.calls)
    assert len(warm["klantcontacten"]["items"]) == 20
    assert warm == cold
    assert any(c.path.endswith(f"/actoren/{afdeling}") for c in cold_calls)
    per_upstream = Counter(c.upstream for c in warm_calls)
    assert len(warm_calls) <= 6, warm_calls
    assert per_upstream == {"klantinteracties": 2, "brp": 1, "zaken": 1}
    assert "catalogi" not in per_upstream  # zaaktype and status came with the zaken


async def test_cold_klantbeeld_is_at_most_three_round_trips_deep() -> None:
    recorder = RecordingTransport()
    async with start_bff(wrap_transport=recorder.wrap) as bff:
        afdeling = give_a_taak_to_an_afdeling(bff)
        await bff.services.codes.tables()
        recorder.reset()
        await post(bff, BODY)
    assert recorder.depth <= 3, recorder.calls
    assert any(c.path.endswith(f"/actoren/{afdeling}") and c.depth == 2 for c in recorder.calls)
    first_round = {c.upstream for c in recorder.calls if c.depth == 1}
    assert first_round == {"klantinteracties", "brp", "zaken"}


async def test_klantbeeld_of_a_partij_is_at_most_three_round_trips_deep() -> None:
    recorder = RecordingTransport()
    async with start_bff(wrap_transport=recorder.wrap) as bff:
        afdeling = give_a_taak_to_an_afdeling(bff)
        partij_id = demo_partij(bff)
        await bff.services.codes.tables()
        recorder.reset()
        r = await bff.client.get(f"/api/v1/partijen/{partij_id}/klantbeeld", headers=bff.auth())
    assert r.status_code == 200, r.text
    assert recorder.depth <= 3, recorder.calls
    second_round = {c.upstream for c in recorder.calls if c.depth == 2}
    assert {"brp", "zaken"} <= second_round  # they wait for the partij to name its BSN
    assert any(c.path.endswith(f"/actoren/{afdeling}") for c in recorder.calls)


async def test_klantbeeld_of_an_organisatie_asks_zaken_once_in_the_first_round() -> None:
    recorder = RecordingTransport()
    async with start_bff(wrap_transport=recorder.wrap) as bff:
        await bff.services.codes.tables()
        await post(bff, {"kvkNummer": "69599084"})  # the actor cache warmed
        recorder.reset()
        found = await post(bff, {"kvkNummer": "69599084"})
    assert found["zaken"]["items"]
    per_upstream = Counter(c.upstream for c in recorder.calls)
    assert len(recorder.calls) <= 6, recorder.calls
    assert per_upstream["zaken"] == 1
    assert "brp" not in per_upstream
    assert "catalogi" not in per_upstream
    assert {c.upstream for c in recorder.calls if c.depth == 1} >= {"zaken"}
