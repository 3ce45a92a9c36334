"""Structured logging: structlog JSON lines with a request id bound per request.

Events are data with stable snake_case names. The request id lives in a context
variable (bound by the request-id middleware), so every line of one request carries
it, including the upstream call lines. Personal data never goes into an event.

Every line is paid for on the request path, so the costs structlog leaves to its user
are taken once: `get_logger` keeps one bound logger per name and builds it again only
when structlog is configured anew (tests do, to capture), instead of structlog's lazy
proxy, which builds one for every line; the JSON encoder is made once, not per line;
the timestamp formats its date and time once per second. The lines are byte for byte
what `TimeStamper(fmt="iso", utc=True)` and `JSONRenderer()` make.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any, cast

import structlog
from structlog.typing import Processor


def configure_logging(
    level: str = "INFO", fmt: str = "json", *, extra_processors: Sequence[Processor] = ()
) -> None:
    """Configure structlog; `extra_processors` see each event just before it is rendered."""
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            add_timestamp,
            structlog.processors.format_exc_info,
            *extra_processors,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=False,
    )
    for chatty in ("httpx", "httpcore"):  # their INFO lines hold upstream URLs: BSN filters
        logging.getLogger(chatty).setLevel(logging.WARNING)


def add_timestamp(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """`TimeStamper(fmt="iso", utc=True)`: `datetime.now(UTC).isoformat()` with `Z`, which
    leaves out the fraction when it is zero."""
    seconds, micros = divmod(time.time_ns() // 1000, 1_000_000)
    whole = _second(seconds)
    event_dict["timestamp"] = f"{whole}.{micros:06d}Z" if micros else f"{whole}Z"
    return event_dict


@functools.lru_cache(maxsize=2)
def _second(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def _dumps(obj: Any, *, default: Callable[[Any], Any]) -> str:
    """`json.dumps(obj, default=default)` (what `JSONRenderer` calls), the encoder made once."""
    return _encoder(default)(obj)


@functools.cache
def _encoder(default: Callable[[Any], Any]) -> Callable[[Any], str]:
    return json.JSONEncoder(default=default).encode


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    return cast(structlog.typing.FilteringBoundLogger, _Logger(name))


class _Logger:
    """A bound logger for `name`, rebound when structlog's configuration changed.

    What a line goes through is the configured wrapper class, logger factory and
    processors list. Each is compared by identity; `structlog.testing.capture_logs`
    changes the list in place, which the bound logger sees as it holds that list.
    """

    __slots__ = ("_bound", "_config", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._config: tuple[Any, ...] = ()
        self._bound: Any = None

    def _logger(self) -> Any:
        config = structlog.get_config()
        seen = self._config
        if (
            not seen
            or config["processors"] is not seen[0]
            or config["wrapper_class"] is not seen[1]
            or config["logger_factory"] is not seen[2]
            or config["context_class"] is not seen[3]
        ):
            self._bound = structlog.get_logger(self._name).bind()
            self._config = (
                config["processors"],
                config["wrapper_class"],
                config["logger_factory"],
                config["context_class"],
            )
        return self._bound

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger(), name)
