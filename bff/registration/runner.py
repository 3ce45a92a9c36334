"""The registration runner: executes a registration's plan, persisting after every step.

    !! CONTRACT FOR STEP AUTHORS: EVERY STEP MUST BE IDEMPOTENT. !!

The runner guarantees *at least once* per step, with each result persisted the moment
the step returns. A step can still run twice: the process may die after the upstream
created something but before the result was written, or a lease may expire while a step
hangs. So a step first looks for what an earlier attempt may have made (for instance a
klantcontact by its `referentienummer`, an actor by its actoridentificator, a digitaal
adres by `adres` + partij) and only creates it when it is not there. Use `ctx.results`
for what earlier steps made and `ctx.referentienummer` as the natural key.

Flow:
- `submit` journals a new registration (idempotency checked, referentienummer minted)
  before anything is sent upstream; it starts `running` under a lease held by this
  process. A repeated `Idempotency-Key` returns the first registration (`replayed`),
  the same key with another body raises `InvalidInput` (422).
- `run_now` executes it for the request within a budget: `completed` -> answer 201;
  otherwise answer 202 and the work goes on (in this task, or in the background loop).
- Independent steps run concurrently; a step starts once all its dependencies are done.
  A pass saves once per round: the results that came in (before a step that needs them
  starts) with the attempts of the steps about to start (an attempt counts before it
  starts), or a lease renewal; the last results are saved with the pass's conclusion.
  `register` journals the new registration with the first attempts of the steps that
  can start at once already counted, so its first round needs no save of its own.
  Transient failures (see `bff.registration.plan.classify`) leave the step pending and
  schedule the registration with exponential backoff and jitter; a step that has failed
  `max_attempts` times (`max_unexpected_attempts` when it raised something unexpected,
  logged as `registration_step_error`), or any step of a registration older than
  `max_age_s`, is failed. A payload no plan can be built from fails the registration.
  Permanent failures fail the step at once and skip its dependents. When no step is
  pending any more the registration is `completed`, or `failed` if any step failed.
- `start` runs a loop that claims due registrations (also ones left `running` by a
  crashed process once their lease expired) and resumes them with the plan made by the
  factory registered for their kind (`register_kind`), so a restart resumes work.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bff.errors import InvalidInput
from bff.logs import get_logger
from bff.registration.model import Registration, fingerprint, new_registration
from bff.registration.plan import (
    UNEXPECTED,
    Plan,
    PlanFactory,
    ReferentienummerTaken,
    plan_steps,
)
from bff.registration.store import RegistrationStore, VersionConflict
from bff.registration.transitions import (
    conclude,
    mark_unplannable,
    ready_steps,
    record_failure,
    record_result,
    step_context,
    unplannable,
)
from bff.settings import RegistrationSettings

log = get_logger("bff.registration")
RENUMBER_LIMIT = 100  # per pass; then the step backs off like any transient failure

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Submission:
    registration: Registration
    replayed: bool  # an earlier request with the same Idempotency-Key made it


class RegistrationRunner:
    def __init__(
        self,
        store: RegistrationStore,
        settings: RegistrationSettings,
        *,
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.store = store
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._factories: dict[str, PlanFactory] = {}
        self._tasks: set[asyncio.Task[Registration]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._erased_at: datetime | None = None

    def register_kind(self, kind: str, factory: PlanFactory) -> None:
        """How to build the plan of a `kind` from its payload; needed to resume after restart."""
        self._factories[kind] = factory

    # -- request path -----------------------------------------------------------------

    async def submit(
        self,
        *,
        kind: str,
        owner: str,
        payload: Mapping[str, Any],
        idempotency_key: str | None = None,
        plan: Plan | None = None,
    ) -> Submission:
        """Journal a new registration (leased to this process), or find the earlier one."""
        sub, _, _ = await self._journal(kind, owner, payload, idempotency_key, plan, start=False)
        return sub

    async def _journal(
        self,
        kind: str,
        owner: str,
        payload: Mapping[str, Any],
        idempotency_key: str | None,
        plan: Plan | None,
        *,
        start: bool,
    ) -> tuple[Submission, Plan, frozenset[str]]:
        """`submit`, also giving the plan and, with `start`, the steps whose first attempt
        the journalled record counts already: those that can start at once, for `run_now`
        right after (their attempt counted before they start, in the same write)."""
        if idempotency_key is not None:
            earlier = await self.store.get_by_idempotency_key(idempotency_key, owner)
            if earlier is not None:
                return _replay(earlier, kind, owner, payload), {}, frozenset()
        if plan is None:
            if kind not in self._factories:
                raise LookupError(f"No plan factory registered for kind {kind!r}.")
            plan = self._factories[kind](payload)
        steps = plan_steps(plan)
        now = self._clock()
        reg = new_registration(
            kind=kind,
            owner=owner,
            payload=payload,
            referentienummer=await self.store.next_referentienummer(),
            steps=steps,
            now=now,
            idempotency_key=idempotency_key,
        )
        reg.status = "running"
        reg.next_attempt_at = None
        reg.lease_until = now + timedelta(seconds=self.settings.lease_s)
        counted = frozenset(ready_steps(reg, exclude=()) if start else ())
        for name in counted:
            reg.step(name).attempts += 1
        stored = await self.store.create(reg)
        if stored.id != reg.id:  # a concurrent request with the same key won the race
            return _replay(stored, kind, owner, payload), {}, frozenset()
        log.info("registration_created", registration_id=reg.id, kind=kind, steps=len(steps))
        return Submission(stored, replayed=False), plan, counted

    async def run_now(
        self, reg: Registration, plan: Plan | None = None, budget_s: float | None = None
    ) -> Registration:
        """Run a just-submitted registration; return its state when done or out of budget.

        Out of budget, the work goes on in a task owned by the runner; the caller answers
        202 with the returned (persisted) state.
        """
        return await self._run(reg, plan if plan is not None else self._plan_for(reg), budget_s)

    async def _run(
        self,
        reg: Registration,
        plan: Plan | Exception | None,
        budget_s: float | None,
        counted: frozenset[str] = frozenset(),
    ) -> Registration:
        task = self._spawn(reg, plan, counted)
        budget = self.settings.inline_budget_s if budget_s is None else budget_s
        done, _ = await asyncio.wait({task}, timeout=budget)
        if task in done:
            return task.result()
        return await self.store.get(reg.id) or reg

    async def register(
        self,
        *,
        kind: str,
        owner: str,
        payload: Mapping[str, Any],
        idempotency_key: str | None = None,
        budget_s: float | None = None,
    ) -> Submission:
        """`submit`, then `run_now` unless replayed: what a write endpoint calls. The steps
        that can start at once have their first attempt counted in the journalled record."""
        sub, plan, counted = await self._journal(
            kind, owner, payload, idempotency_key, None, start=True
        )
        if sub.replayed:
            return sub
        return Submission(await self._run(sub.registration, plan, budget_s, counted), False)

    # -- background -------------------------------------------------------------------

    async def run_due(self) -> int:
        """Claim due registrations and run them to the end of this pass; returns how many."""
        claimed = await self.store.claim_due(
            self._clock(), self.settings.claim_limit, self.settings.lease_s
        )
        tasks = []
        for reg in claimed:
            log.info("registration_resumed", registration_id=reg.id, kind=reg.kind)
            tasks.append(self._spawn(reg, self._plan_for(reg)))
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.error("registration_run_crashed", error=type(outcome).__name__)
            elif isinstance(outcome, BaseException):
                raise outcome
        return len(claimed)

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = asyncio.create_task(self._poll(), name="registration-runner")

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop polling; give running registrations `grace_s`, then cancel them (their
        leases expire and another worker, or the next start, resumes them)."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def drain(self) -> None:
        """Wait until every registration this runner is executing has ended its pass."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    async def erase_expired(self) -> int:
        """Erase the personal data of finished registrations past their retention."""
        now = self._clock()
        cfg = self.settings
        erased = await self.store.erase_payloads(
            now,
            completed_before=now - timedelta(seconds=cfg.retention_completed_s),
            failed_before=now - timedelta(seconds=cfg.retention_failed_s),
        )
        self._erased_at = now
        if erased:
            log.info("registration_payloads_erased", count=erased)
        return erased

    def _erasure_due(self) -> bool:
        last = self._erased_at
        interval = timedelta(seconds=self.settings.retention_check_interval_s)
        return last is None or self._clock() - last >= interval

    async def _poll(self) -> None:
        while True:
            try:
                await self.run_due()
                if self._erasure_due():
                    await self.erase_expired()
            except Exception as exc:
                log.error("registration_poll_failed", error=type(exc).__name__)
            await self._sleep(self.settings.poll_interval_s)

    def _spawn(
        self,
        reg: Registration,
        plan: Plan | Exception | None,
        counted: frozenset[str] = frozenset(),
    ) -> asyncio.Task[Registration]:
        if isinstance(plan, Exception):
            task = asyncio.create_task(self._give_up(reg, plan))
        else:
            task = asyncio.create_task(self._execute(reg, plan or {}, counted))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _plan_for(self, reg: Registration) -> Plan | Exception | None:
        """The plan, None for an unknown kind, the exception when the payload has none."""
        factory = self._factories.get(reg.kind)
        if factory is None:
            log.error("registration_kind_unknown", registration_id=reg.id, kind=reg.kind)
            return None
        try:
            return factory(reg.payload)
        except Exception as exc:  # it would fail the same way on every claim
            return exc

    async def _give_up(self, reg: Registration, exc: Exception) -> Registration:
        unplannable(reg)
        log.error(
            "registration_failed",
            registration_id=reg.id,
            kind=reg.kind,
            reason=UNEXPECTED,
            error=type(exc).__name__,
        )
        try:
            return await self._persist(reg)
        except VersionConflict:
            return await self.store.get(reg.id) or reg

    # -- one pass over the plan ---------------------------------------------------------

    async def _execute(
        self, reg: Registration, plan: Plan, counted: frozenset[str] = frozenset()
    ) -> Registration:
        """One pass. `counted`: steps whose attempt the stored record counts already
        (`_journal`); the first round starts them without counting or saving again."""
        in_flight: dict[asyncio.Task[dict[str, Any]], str] = {}
        blocked: set[str] = set()  # failed transiently during this pass
        renumbered = 0
        try:
            while True:
                ready = ready_steps(reg, exclude=blocked | set(in_flight.values()))
                for name in [n for n in ready if n not in plan]:
                    mark_unplannable(reg, name)
                    blocked.add(name)
                ready = [n for n in ready if n in plan]
                if not ready and not in_flight:
                    break  # what the last round recorded is saved with the conclusion
                for name in ready:
                    if name not in counted:
                        reg.step(name).attempts += 1
                if not counted or set(ready) != counted:  # else unchanged since its create
                    # One save for the results the last round recorded (before any step
                    # that needs them starts), the attempts about to start (an attempt
                    # counts before it starts), or else a lease renewal.
                    reg = await self._persist(reg)
                counted = frozenset()
                for name in ready:
                    call = plan[name].run(step_context(reg, name))
                    in_flight[asyncio.create_task(call)] = name
                done, _ = await asyncio.wait(
                    in_flight,
                    timeout=self.settings.lease_s / 3,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                for task in done:
                    name = in_flight.pop(task)
                    if _taken(task) and renumbered < RENUMBER_LIMIT:
                        renumbered += 1
                        await self._renumber(reg, name)
                    else:
                        self._record(reg, name, task, blocked)
            delay = conclude(
                reg, blocked=blocked, now=self._clock(), policy=self.settings, jitter=self._jitter()
            )
            if reg.status == "failed":
                log.error(
                    "registration_failed",
                    registration_id=reg.id,
                    kind=reg.kind,
                    steps=[s.name for s in reg.steps if s.status == "failed"],
                    reasons=sorted({s.last_error.reason for s in reg.steps if s.last_error}),
                )
            elif delay is None:
                log.info(f"registration_{reg.status}", registration_id=reg.id, kind=reg.kind)
            else:
                log.info("registration_retry_scheduled", registration_id=reg.id, delay_s=delay)
            return await self._persist(reg)
        except VersionConflict:
            log.warning("registration_lease_lost", registration_id=reg.id)
            return await self.store.get(reg.id) or reg
        finally:
            for task in in_flight:
                task.cancel()
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)

    def _record(
        self,
        reg: Registration,
        name: str,
        task: asyncio.Task[dict[str, Any]],
        blocked: set[str],
    ) -> None:
        try:
            result = task.result()  # a BaseException (a crash, a cancellation) propagates
            if not isinstance(result, dict):
                raise TypeError(f"step {name!r} returned {type(result).__name__}, not a dict")
        except Exception as exc:
            outcome = record_failure(reg, name, exc, self._clock())
            step = reg.step(name)
            error = step.last_error
            if error is not None and error.reason == UNEXPECTED:  # a bug: type and place only
                log.error(
                    "registration_step_error",
                    registration_id=reg.id,
                    step=name,
                    attempt=step.attempts,
                    error=type(exc).__name__,
                    at=[f"{f.name}:{f.lineno}" for f in traceback.extract_tb(exc.__traceback__)],
                )
            log.warning(
                "registration_step_retry" if outcome == "transient" else "registration_step_failed",
                registration_id=reg.id,
                step=name,
                attempt=step.attempts,
                upstream=error.upstream if error else None,
                reason=error.reason if error else None,
            )
            if outcome == "transient":
                blocked.add(name)
            return
        record_result(reg, name, result)
        log.info("registration_step_done", registration_id=reg.id, step=name)

    async def _renumber(self, reg: Registration, name: str) -> None:
        """Another klantcontact has the number: take the next one from the store and run
        the step again; that is not a failed attempt."""
        reg.referentienummer = await self.store.next_referentienummer()
        reg.step(name).attempts -= 1
        log.info("registration_renumbered", registration_id=reg.id, step=name)

    async def _persist(self, reg: Registration) -> Registration:
        now = self._clock()
        reg.updated_at = now
        if reg.status == "running":
            reg.lease_until = now + timedelta(seconds=self.settings.lease_s)
        return await self.store.save(reg)


def _taken(task: asyncio.Task[dict[str, Any]]) -> bool:
    return not task.cancelled() and isinstance(task.exception(), ReferentienummerTaken)


def _replay(earlier: Registration, kind: str, owner: str, payload: Mapping[str, Any]) -> Submission:
    if earlier.fingerprint != fingerprint(kind, owner, payload):
        raise InvalidInput.one(
            "Idempotency-Key",
            "This key was used for another request. Use a new key for a new registration.",
            "idempotency-key-reused",
        )
    log.info("registration_replayed", registration_id=earlier.id, kind=kind)
    return Submission(earlier, replayed=True)
