"""Pseudonyms, processing records and the audit log, without the HTTP layer."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bff.privacy.audit import AuditLog, AuditRecord
from bff.privacy.processing import (
    DataSubject,
    InMemorySink,
    JsonLinesSink,
    ProcessingLog,
    ProcessingRecord,
)
from bff.privacy.pseudonym import Pseudonymiser
from bff.privacy.trace import _current, start_trace

SPEC = Path(__file__).resolve().parents[3] / "shared" / "specs"
SCHEMA = SPEC / "logboek-dataverwerkingen-core-attributes.schema.json"
KEY = "k" * 32


def activity_uri(key: str) -> str:
    return f"https://register.gemeente.example/verwerkingen/{key}"


def make_log(
    sink: InMemorySink[ProcessingRecord] | JsonLinesSink[ProcessingRecord],
) -> ProcessingLog:
    fixed = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return ProcessingLog(sink, Pseudonymiser(KEY), activity_uri, clock=lambda: fixed)


def test_pseudonym_is_stable_per_key_and_differs_between_keys() -> None:
    one, again, other = Pseudonymiser(KEY), Pseudonymiser(KEY), Pseudonymiser("o" * 32)
    assert one("999993653") == again(" 999993653 ")
    assert one("999993653") != other("999993653")
    assert one("999993653") != one("999993654")
    assert len(one("999993653")) == 64
    assert "999993653" not in one("999993653")
    assert KEY not in repr(one)


def test_empty_pseudonymisation_key_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Pseudonymiser(b"")


async def test_search_returning_n_persons_writes_n_records() -> None:
    sink: InMemorySink[ProcessingRecord] = InMemorySink()
    bsns = [f"99999{n:04d}" for n in range(25)]
    records = await make_log(sink).record_many("personen_zoeken", map(DataSubject.bsn, bsns))
    assert len(sink.records) == len(records) == 25
    assert {r.data_subject_id for r in records} == {Pseudonymiser(KEY)(b) for b in bsns}
    assert {r.processing_activity_id for r in records} == {activity_uri("personen_zoeken")}
    assert {r.data_subject_id_type for r in records} == {"BSN"}


async def test_large_batches_are_never_sampled(tmp_path: Path) -> None:
    sink: JsonLinesSink[ProcessingRecord] = JsonLinesSink(tmp_path / "v.jsonl")
    log = make_log(sink)
    await asyncio.gather(
        *(
            log.record_many("a", [DataSubject.bsn(f"{b:09d}") for b in range(i * 50, i * 50 + 50)])
            for i in range(20)
        )
    )
    await sink.aclose()
    lines = (tmp_path / "v.jsonl").read_text().splitlines()
    assert len(lines) == 1000
    assert (
        len({json.loads(line)["attributes"]["dpl.core.data_subject_id"] for line in lines}) == 1000
    )


async def test_one_record_per_distinct_subject_and_type() -> None:
    sink: InMemorySink[ProcessingRecord] = InMemorySink()
    subjects = [
        DataSubject.bsn("999993653"),
        DataSubject.bsn("999993653"),
        DataSubject.kvk("12345678"),
        DataSubject.vestiging("000012345678"),
        DataSubject.partij("0b5f7c1e-0000-4000-8000-000000000001"),
    ]
    await make_log(sink).record_many("klantbeeld", subjects, status="error")
    assert [r.data_subject_id_type for r in sink.records] == [
        "BSN",
        "KVK",
        "vestigingsnummer",
        "partij",
    ]
    assert {r.status for r in sink.records} == {"error"}


async def test_record_carries_the_trace_of_the_running_request() -> None:
    sink: InMemorySink[ProcessingRecord] = InMemorySink()
    trace = start_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    token = _current.set(trace)
    try:
        record = await make_log(sink).record("klantbeeld", DataSubject.bsn("999993653"))
    finally:
        _current.reset(token)
    assert record.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert record.span_id == trace.span_id != "00f067aa0ba902b7"


async def test_json_line_has_the_dpl_core_attributes(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "verwerkingen.jsonl"
    sink: JsonLinesSink[ProcessingRecord] = JsonLinesSink(path)
    await make_log(sink).record("klantbeeld", DataSubject.bsn("999993653"))
    await make_log(sink).record("klantbeeld", DataSubject.kvk("12345678"))
    await sink.aclose()
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first["attributes"] == {
        "dpl.core.processing_activity_id": activity_uri("klantbeeld"),
        "dpl.core.data_subject_id": Pseudonymiser(KEY)("999993653"),
        "dpl.core.data_subject_id_type": "BSN",
    }
    assert first["status"] == "ok"
    assert first["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert len(first["trace_id"]) == 32
    assert len(first["span_id"]) == 16
    assert second["attributes"]["dpl.core.data_subject_id_type"] == "KVK"
    assert "999993653" not in path.read_text()
    assert path.stat().st_mode & 0o007 == 0, "the log is not world-readable"


async def test_json_line_validates_against_the_logboek_schema(tmp_path: Path) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is absent: the shared specs folder is not checked out")
    jsonschema = pytest.importorskip("jsonschema")
    sink: InMemorySink[ProcessingRecord] = InMemorySink()
    record = await make_log(sink).record("klantbeeld", DataSubject.bsn("999993653"))
    schema = json.loads(SCHEMA.read_text())
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    checker.validate(record.as_json()["attributes"])
    required = {"dpl.core.processing_activity_id", "dpl.core.data_subject_id"}
    assert required | {"dpl.core.data_subject_id_type"} <= set(record.as_json()["attributes"])


async def test_audit_record_names_the_medewerker_and_counts_subjects(tmp_path: Path) -> None:
    sink: JsonLinesSink[AuditRecord] = JsonLinesSink(tmp_path / "audit.jsonl")
    await AuditLog(sink).record(
        medewerker="mdw-anna",
        action="search",
        activity="personen_zoeken",
        processing_activity_id=activity_uri("personen_zoeken"),
        subject_count=3,
        request_id="req-1",
    )
    await sink.aclose()
    (line,) = (tmp_path / "audit.jsonl").read_text().splitlines()
    audit = json.loads(line)
    assert audit["medewerker"] == "mdw-anna"
    assert audit["subject_count"] == 3
    assert (audit["action"], audit["status"], audit["request_id"]) == ("search", "ok", "req-1")
    assert len(audit["trace_id"]) == 32


def test_data_subject_repr_hides_the_id() -> None:
    assert "999993653" not in repr(DataSubject.bsn("999993653"))
