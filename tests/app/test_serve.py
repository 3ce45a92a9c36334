"""`bff serve` as a process setting: the collector tuned once the app has started, workers."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from starlette.types import Message, Receive, Scope, Send

from bff.cli import main
from bff.serve import GC_THRESHOLDS, TuneGcAfterStartup


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


async def _lifespan_app(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "lifespan"
    await receive()
    await send({"type": "lifespan.startup.complete"})


async def test_the_collector_is_tuned_when_startup_completes(restored_gc: None) -> None:
    sent: list[Message] = []
    seen_thresholds: list[tuple[int, int, int]] = []

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        seen_thresholds.append(gc.get_threshold())
        sent.append(message)

    gc.set_threshold(700, 10, 10)
    await TuneGcAfterStartup(_lifespan_app)({"type": "lifespan"}, receive, send)
    assert sent == [{"type": "lifespan.startup.complete"}]
    assert seen_thresholds == [GC_THRESHOLDS]  # tuned before the server hears "started"
    assert gc.get_freeze_count() > 0  # what start-up made is out of the collector's sight


async def test_http_requests_pass_through_untouched(restored_gc: None) -> None:
    gc.set_threshold(700, 10, 10)
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def nothing() -> Message:
        return {}

    async def ignore(message: Message) -> None:
        return None

    await TuneGcAfterStartup(app)({"type": "http"}, nothing, ignore)
    assert seen == ["http"]
    assert gc.get_threshold() == (700, 10, 10)


def test_workers_must_be_one_or_more(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--workers", "0"])
    assert exit_.value.code == 2
    assert "--workers" in capsys.readouterr().err
