"""What an endpoint calls to account for processing personal data: processing + audit at once.

    await record_processing(request, "personen_zoeken", subjects, action="search")

writes one processing record per distinct data subject (pseudonymised, never sampled)
and one audit record naming the medewerker. When the outcome is not known up front:

    async with processing(request, "klantcontact_registreren", action="create") as verwerking:
        verwerking.add(DataSubject.bsn(bsn))
        ...                                   # an exception here records status "error"

`Privacy` lives in the lifespan's `Services` (`services.privacy`) and owns both sinks.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from starlette.requests import Request

from bff.auth.identity import current_medewerker
from bff.privacy.audit import Action, AuditLog, AuditRecord
from bff.privacy.processing import (
    DataSubject,
    InMemorySink,
    JsonLinesSink,
    ProcessingLog,
    ProcessingRecord,
    Sink,
    Status,
)
from bff.privacy.pseudonym import Pseudonymiser
from bff.settings import PrivacySettings


class Privacy:
    """The processing log and the audit log of one running BFF."""

    def __init__(self, processing: ProcessingLog, audit: AuditLog) -> None:
        self.processing = processing
        self.audit = audit

    @classmethod
    def from_settings(cls, settings: PrivacySettings) -> Privacy:
        processing_sink: Sink[ProcessingRecord]
        audit_sink: Sink[AuditRecord]
        if settings.sink == "memory":
            processing_sink, audit_sink = InMemorySink(), InMemorySink()
        else:
            processing_sink = JsonLinesSink(settings.processing_log_path)
            audit_sink = JsonLinesSink(settings.audit_log_path)
        pseudonymise = Pseudonymiser(settings.pseudonymisation_key)
        return cls(
            ProcessingLog(processing_sink, pseudonymise, settings.activity_id),
            AuditLog(audit_sink),
        )

    async def aclose(self) -> None:
        await self.processing.sink.aclose()
        await self.audit.sink.aclose()

    async def record(
        self,
        request: Request,
        activity: str,
        subjects: Iterable[DataSubject],
        *,
        action: Action,
        status: Status = "ok",
    ) -> list[ProcessingRecord]:
        """Processing records for every subject, then one audit record for the medewerker."""
        medewerker = current_medewerker(request)
        records = await self.processing.record_many(activity, subjects, status=status)
        await self.audit.record(
            medewerker=medewerker.subject,
            action=action,
            activity=activity,
            processing_activity_id=self.processing.activity_id(activity),
            subject_count=len(records),
            status=status,
            request_id=request.scope.get("state", {}).get("request_id"),
        )
        return records

    def track(
        self,
        request: Request,
        activity: str,
        *,
        action: Action,
        subjects: Iterable[DataSubject] = (),
    ) -> Processing:
        return Processing(self, request, activity, action, subjects)


class Processing:
    """Collects subjects during an action; records them on exit, `error` if it raised."""

    def __init__(
        self,
        privacy: Privacy,
        request: Request,
        activity: str,
        action: Action,
        subjects: Iterable[DataSubject],
    ) -> None:
        self._privacy = privacy
        self._request = request
        self._activity = activity
        self._action = action
        self.subjects: list[DataSubject] = list(subjects)
        self.records: list[ProcessingRecord] = []

    def add(self, *subjects: DataSubject) -> None:
        self.subjects.extend(subjects)

    async def __aenter__(self) -> Processing:
        current_medewerker(self._request)  # fail before any processing, not after
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        status: Status = "ok" if exc_type is None else "error"
        self.records = await self._privacy.record(
            self._request, self._activity, self.subjects, action=self._action, status=status
        )


def privacy_of(request: Request) -> Privacy:
    """The running BFF's `Privacy` (from the lifespan's Services)."""
    found = getattr(getattr(request.state, "services", None), "privacy", None)
    if not isinstance(found, Privacy):
        raise RuntimeError("no Privacy in request state: did the lifespan run?")
    return found


async def record_processing(
    request: Request,
    activity: str,
    subjects: Iterable[DataSubject],
    *,
    action: Action,
    status: Status = "ok",
) -> list[ProcessingRecord]:
    """One processing record per subject and one audit record; see the module docstring."""
    return await privacy_of(request).record(
        request, activity, subjects, action=action, status=status
    )


def processing(
    request: Request,
    activity: str,
    *,
    action: Action,
    subjects: Iterable[DataSubject] = (),
) -> Processing:
    """An async context manager recording the action's subjects with its outcome."""
    return privacy_of(request).track(request, activity, action=action, subjects=subjects)
