"""The processing log (Logboek Dataverwerkingen): one record per data subject per action.

A record carries the `dpl.core` attributes of the standard
(`specs/logboek-dataverwerkingen-core-attributes.schema.json`):

    dpl.core.processing_activity_id   register URI of the verwerkingsactiviteit
    dpl.core.data_subject_id          the subject's id, pseudonymised (bff.privacy.pseudonym)
    dpl.core.data_subject_id_type     BSN, KVK, vestigingsnummer, RSIN, partij

plus status, the W3C trace and span id, and a timestamp. Records are never sampled:
`ProcessingLog.record_many` writes one per distinct subject, and a failing sink fails
the request rather than losing a record. Sinks are an interface (`Sink`); this module
has the JSON-lines file sink (default) and an in-memory sink for tests; the audit log
(`bff.privacy.audit`) reuses both with its own file.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

from bff.privacy.pseudonym import Pseudonymiser
from bff.privacy.trace import current_trace

Status = Literal["ok", "error"]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DataSubject:
    """A betrokkene as identified upstream; the raw id never leaves this process."""

    id: str
    type: str

    @classmethod
    def bsn(cls, value: str) -> DataSubject:
        return cls(value, "BSN")

    @classmethod
    def kvk(cls, value: str) -> DataSubject:
        return cls(value, "KVK")

    @classmethod
    def vestiging(cls, vestigingsnummer: str) -> DataSubject:
        return cls(vestigingsnummer, "vestigingsnummer")

    @classmethod
    def rsin(cls, value: str) -> DataSubject:
        return cls(value, "RSIN")

    @classmethod
    def partij(cls, uuid: str) -> DataSubject:
        """A partij known only by its Klantinteracties uuid (no BSN or KvK-nummer at hand)."""
        return cls(uuid, "partij")

    def __repr__(self) -> str:  # keep raw ids out of tracebacks and debug output
        return f"DataSubject(type={self.type!r}, id=***)"


class Record(Protocol):
    def as_json(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=Record)
R_contra = TypeVar("R_contra", bound=Record, contravariant=True)


class Sink(Protocol[R_contra]):
    """Where records go. `write` returns once the records are durable enough to trust."""

    async def write(self, records: Sequence[R_contra]) -> None: ...

    async def aclose(self) -> None: ...


class JsonLinesSink(Generic[R]):
    """Appends one JSON object per line to a file, flushed after every write."""

    def __init__(self, path: Path, *, fsync: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fsync = fsync
        self._file = open(path, "a", encoding="utf-8", opener=_private)  # noqa: SIM115  # open for the app's lifetime, closed in aclose
        self._lock = asyncio.Lock()

    async def write(self, records: Sequence[R]) -> None:
        if not records:
            return
        text = "".join(json.dumps(r.as_json(), ensure_ascii=False) + "\n" for r in records)
        if not self._fsync:
            # Appending a few hundred bytes to the page cache does not block the loop; a
            # thread hand-off per request cost more CPU than the write.
            self._append(text)
            return
        async with self._lock:
            await asyncio.to_thread(self._append, text)

    def _append(self, text: str) -> None:
        self._file.write(text)
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())

    async def aclose(self) -> None:
        async with self._lock:
            self._file.close()


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o640)


class InMemorySink(Generic[R]):
    """Keeps records in a list, for tests (and refused in production)."""

    def __init__(self) -> None:
        self.records: list[R] = []

    async def write(self, records: Sequence[R]) -> None:
        self.records.extend(records)

    async def aclose(self) -> None:
        return None


@dataclass(frozen=True)
class ProcessingRecord:
    processing_activity_id: str
    data_subject_id: str  # pseudonymised
    data_subject_id_type: str
    status: Status
    trace_id: str
    span_id: str
    timestamp: datetime
    activity: str  # the BFF's name for the activity (endpoint key)

    def as_json(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.isoformat(),
            "name": self.activity,
            "status": self.status,
            "trace_id": self.trace_id,
            "span_id": self.span_id,
            "attributes": {
                "dpl.core.processing_activity_id": self.processing_activity_id,
                "dpl.core.data_subject_id": self.data_subject_id,
                "dpl.core.data_subject_id_type": self.data_subject_id_type,
            },
        }


class ProcessingLog:
    """Turns (activity, subjects, status) into pseudonymised records in the sink."""

    def __init__(
        self,
        sink: Sink[ProcessingRecord],
        pseudonymise: Pseudonymiser,
        activity_id: Callable[[str], str],
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.sink = sink
        self._pseudonymise = pseudonymise
        self._activity_id = activity_id
        self._clock = clock

    def activity_id(self, activity: str) -> str:
        return self._activity_id(activity)

    async def record(
        self, activity: str, subject: DataSubject, *, status: Status = "ok"
    ) -> ProcessingRecord:
        return (await self.record_many(activity, [subject], status=status))[0]

    async def record_many(
        self, activity: str, subjects: Iterable[DataSubject], *, status: Status = "ok"
    ) -> list[ProcessingRecord]:
        """One record per distinct subject; all written before this returns."""
        trace = current_trace()
        now = self._clock()
        activity_id = self._activity_id(activity)
        records = [
            ProcessingRecord(
                processing_activity_id=activity_id,
                data_subject_id=self._pseudonymise(subject.id),
                data_subject_id_type=subject.type,
                status=status,
                trace_id=trace.trace_id,
                span_id=trace.span_id,
                timestamp=now,
                activity=activity,
            )
            for subject in dict.fromkeys(subjects)
        ]
        await self.sink.write(records)
        return records
