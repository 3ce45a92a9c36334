"""The audit log: which medewerker did which action, kept apart from the processing log.

The processing log says *that* a person's data was processed and why; the audit log
says *who* did it. One `AuditRecord` per action: the medewerker's subject (never their
name or e-mail), the action, the processing activity, how many data subjects it
touched (never which), status, trace id and request id. The two logs meet only on the
trace id, so each can be kept, shared and deleted under its own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bff.privacy.processing import Clock, Sink, Status, utc_now
from bff.privacy.trace import current_trace

Action = Literal["read", "search", "create", "update", "delete"]


@dataclass(frozen=True)
class AuditRecord:
    timestamp: datetime
    medewerker: str  # the token subject
    action: Action
    activity: str
    processing_activity_id: str
    subject_count: int
    status: Status
    trace_id: str
    request_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.isoformat(),
            "medewerker": self.medewerker,
            "action": self.action,
            "activity": self.activity,
            "processing_activity_id": self.processing_activity_id,
            "subject_count": self.subject_count,
            "status": self.status,
            "trace_id": self.trace_id,
            "request_id": self.request_id,
        }


class AuditLog:
    def __init__(self, sink: Sink[AuditRecord], *, clock: Clock = utc_now) -> None:
        self.sink = sink
        self._clock = clock

    async def record(
        self,
        *,
        medewerker: str,
        action: Action,
        activity: str,
        processing_activity_id: str,
        subject_count: int,
        status: Status = "ok",
        request_id: str | None = None,
    ) -> AuditRecord:
        record = AuditRecord(
            timestamp=self._clock(),
            medewerker=medewerker,
            action=action,
            activity=activity,
            processing_activity_id=processing_activity_id,
            subject_count=subject_count,
            status=status,
            trace_id=current_trace().trace_id,
            request_id=request_id,
        )
        await self.sink.write([record])
        return record
