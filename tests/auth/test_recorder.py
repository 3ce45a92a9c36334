"""Privacy.record / processing(): processing records and the audit record of one action."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from bff.auth.identity import Medewerker, Role, current_medewerker, require_role
from bff.errors import Forbidden, NotFound, Unauthenticated
from bff.privacy.audit import AuditRecord
from bff.privacy.processing import DataSubject, InMemorySink, ProcessingRecord
from bff.privacy.recorder import Privacy, processing, record_processing
from bff.settings import PrivacySettings
from tests.helpers.auth import privacy_settings

ANNA = Medewerker("mdw-anna", "Anna de Vries", roles=frozenset({Role.MEDEWERKER}))


class FakeServices:
    def __init__(self, privacy: Privacy) -> None:
        self.privacy = privacy


def make_privacy() -> Privacy:
    return Privacy.from_settings(PrivacySettings(**privacy_settings()))


def request_for(privacy: Privacy, medewerker: Medewerker | None = ANNA) -> Request:
    state: dict[str, Any] = {"services": FakeServices(privacy), "request_id": "req-1"}
    if medewerker is not None:
        state["medewerker"] = medewerker
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "state": state})


def sinks(privacy: Privacy) -> tuple[list[ProcessingRecord], list[AuditRecord]]:
    processing_sink, audit_sink = privacy.processing.sink, privacy.audit.sink
    assert isinstance(processing_sink, InMemorySink)
    assert isinstance(audit_sink, InMemorySink)
    return processing_sink.records, audit_sink.records


async def test_record_processing_writes_records_and_one_audit_record() -> None:
    privacy = make_privacy()
    subjects = [DataSubject.bsn("999993653"), DataSubject.kvk("12345678")]
    await record_processing(request_for(privacy), "klantbeeld", subjects, action="read")
    records, audits = sinks(privacy)
    assert len(records) == 2
    (audit,) = audits
    assert (audit.medewerker, audit.subject_count, audit.request_id) == ("mdw-anna", 2, "req-1")
    assert audit.trace_id == records[0].trace_id


async def test_a_search_without_results_is_still_audited() -> None:
    privacy = make_privacy()
    await record_processing(request_for(privacy), "personen_zoeken", [], action="search")
    records, audits = sinks(privacy)
    assert records == []
    assert audits[0].subject_count == 0


async def test_processing_block_records_error_when_it_raises() -> None:
    privacy = make_privacy()
    request = request_for(privacy)

    async def lookup() -> None:
        async with processing(request, "klantbeeld", action="read") as verwerking:
            verwerking.add(DataSubject.bsn("999993653"))
            raise NotFound("BRP does not know this person.")

    with pytest.raises(NotFound):
        await lookup()
    records, audits = sinks(privacy)
    assert [r.status for r in records] == ["error"]
    assert audits[0].status == "error"


async def test_processing_block_records_ok_with_subjects_found_on_the_way() -> None:
    privacy = make_privacy()
    start = [DataSubject.bsn("999993653")]
    async with processing(
        request_for(privacy), "klantcontact_registreren", action="create", subjects=start
    ) as verwerking:
        verwerking.add(DataSubject.partij("6f1c0000-0000-4000-8000-000000000001"))
    records, audits = sinks(privacy)
    assert [r.data_subject_id_type for r in records] == ["BSN", "partij"]
    assert (audits[0].action, audits[0].status) == ("create", "ok")
    assert verwerking.records == records


async def test_nothing_is_recorded_without_a_medewerker() -> None:
    privacy = make_privacy()
    with pytest.raises(Unauthenticated):
        async with processing(request_for(privacy, None), "klantbeeld", action="read"):
            pass
    assert sinks(privacy) == ([], [])


def test_require_role() -> None:
    request = request_for(make_privacy())
    assert require_role(request, Role.MEDEWERKER) is current_medewerker(request)
    with pytest.raises(Forbidden):
        require_role(request, Role.VERTROUWELIJK)
