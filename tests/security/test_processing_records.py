"""Each case endpoint accounts for what it processed: Logboek records and one audit record.

For the `ok` sample of every `/api/v1` route (`tests.security.samples`): one processing
record per data subject the answer is about, pseudonymised, under the activity id
configured for the endpoint's activity; and one audit record naming the medewerker
(her token subject, never her name), with the same activity and subject count. Routes
that show no citizen's data (`None` below) write neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bff.privacy.pseudonym import Pseudonymiser
from tests.helpers.auth import PSEUDONYMISATION_KEY
from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.security.calls import demo_partij
from tests.security.samples import SAMPLES, Sample, drive

Subjects = set[tuple[str, str]]  # (data_subject_id_type, raw id)
REGISTER = "https://register.gemeente.example/verwerkingsactiviteiten/"


def _partij_of_klantcontact(bff: Bff, klantcontact: str) -> Subjects:
    ki = bff.sandbox.klantinteracties
    return {
        ("partij", b["wasPartij"]) if b["wasPartij"] else ("betrokkene", b["uuid"])
        for b in ki.betrokkenen.values()
        if b["hadKlantcontact"] == klantcontact
    }


def _demo_partij(bff: Bff, body: Any) -> Subjects:
    return {("partij", demo_partij(bff))}


def _demo_bsn(bff: Bff, body: Any) -> Subjects:
    return {("BSN", DEMO_BSN)}


def _listed_taken(bff: Bff, body: Any) -> Subjects:
    ki = bff.sandbox.klantinteracties
    found: Subjects = set()
    for item in body["items"]:
        found |= _partij_of_klantcontact(
            bff, ki.internetaken[item["uuid"]]["aanleidinggevendKlantcontact"]
        )
    return found


def _listed_klantcontacten(bff: Bff, body: Any) -> Subjects:
    found: Subjects = set()
    for item in body["items"]:
        found |= _partij_of_klantcontact(bff, item["uuid"])
    return found


def _changed_taak(bff: Bff, body: Any) -> Subjects:
    taak = bff.sandbox.klantinteracties.internetaken[body["uuid"]]
    return _partij_of_klantcontact(bff, taak["aanleidinggevendKlantcontact"])


def _registered_bsn(bff: Bff, body: Any) -> Subjects:
    return {
        (
            "BSN",
            bff.sandbox.klantinteracties.partij_identificatoren[_identificator(bff, body)][
                "objectId"
            ],
        )
    }


def _identificator(bff: Bff, body: Any) -> str:
    ki = bff.sandbox.klantinteracties
    return next(
        uuid for uuid, i in ki.partij_identificatoren.items() if i["partij"] == body["partij"]
    )


@dataclass(frozen=True)
class Expect:
    activity: str
    subjects: Callable[[Bff, Any], Subjects]


EXPECTED: dict[str, Expect | None] = {
    "GET /api/v1/registraties/{id}": None,  # step states and ids only
    "GET /api/v1/actoren": None,  # colleagues and afdelingen, no citizens
    "POST /api/v1/partijen/zoeken": Expect("partijen_zoeken", _demo_bsn),
    "GET /api/v1/klantcontacten": Expect("klantcontact_raadplegen", _demo_partij),
    "GET /api/v1/klantcontacten/{id}": Expect("klantcontact_raadplegen", _demo_partij),
    "PATCH /api/v1/klantcontacten/{id}": Expect("klantcontact_wijzigen", _demo_partij),
    "POST /api/v1/klantcontacten/{id}/actoren": Expect(
        "klantcontact_actor_registreren", _demo_partij
    ),
    "GET /api/v1/zaken/{id}/klantcontacten": Expect(
        "klantcontact_raadplegen", _listed_klantcontacten
    ),
    "GET /api/v1/interne-taken": Expect("interne_taken_raadplegen", _listed_taken),
    "PATCH /api/v1/interne-taken/{id}": Expect("interne_taak_wijzigen", _changed_taak),
    "POST /api/v1/klantcontacten": Expect("klantcontact_registreren", _demo_partij),
    "POST /api/v1/klantcontacten/{id}/vervolg": Expect("klantcontact_vervolg", _demo_partij),
    "POST /api/v1/partijen": Expect("partij_registreren", _registered_bsn),
    "POST /api/v1/partijen/{id}/digitale-adressen": Expect("partij_registreren", _demo_partij),
    "POST /api/v1/klantbeeld": Expect("klantbeeld", _demo_bsn),
    "POST /api/v1/verificaties": Expect("verificatie", _demo_bsn),
    "GET /api/v1/partijen/{id}/klantbeeld": Expect("klantbeeld", _demo_bsn),
}
ACTIVITIES = {e.activity for e in EXPECTED.values() if e is not None}
OK = [s for s in SAMPLES if s.case == "ok"]


def test_every_ok_sample_has_an_expectation() -> None:
    assert {s.route for s in OK} == set(EXPECTED)


@pytest.mark.parametrize("sample", OK, ids=lambda s: s.route)
async def test_endpoint_records_each_data_subject_and_the_medewerker(sample: Sample) -> None:
    expect = EXPECTED[sample.route]
    register = {activity: REGISTER + activity for activity in ACTIVITIES}
    pseudonym = Pseudonymiser(PSEUDONYMISATION_KEY)
    async with start_bff(privacy={"processing_activities": register}) as bff:
        built = await sample.build(bff)  # reads first (an ETag): not what is checked
        before = len(bff.processing_records()), len(bff.audit_records())
        sample = Sample(sample.route, sample.case, _prebuilt(built), sample.status)
        response = await drive(bff, sample)
        assert response.status_code in sample.status, response.text
        records = bff.processing_records()[before[0] :]
        audits = bff.audit_records()[before[1] :]
        wanted = set() if expect is None else expect.subjects(bff, response.json())
    if expect is None:
        assert (records, audits) == ([], [])
        return
    assert wanted, "an ok sample shows someone's data"
    activity_id = register[expect.activity]
    assert {r.processing_activity_id for r in records} == {activity_id}
    assert {r.activity for r in records} == {expect.activity}
    assert sorted((r.data_subject_id_type, r.data_subject_id) for r in records) == sorted(
        (kind, pseudonym(raw)) for kind, raw in wanted
    )
    assert [
        (a.medewerker, a.activity, a.processing_activity_id, a.subject_count) for a in audits
    ] == [("mdw-anna", expect.activity, activity_id, len(wanted))]
    assert {r.status for r in records} == {audits[0].status} == {"ok"}


def _prebuilt(built: Any) -> Callable[[Bff], Any]:
    async def build(_: Bff) -> Any:
        return built

    return build
