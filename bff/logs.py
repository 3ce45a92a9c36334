"""Structured logging: structlog JSON lines with a request id bound per request.

Events are data with stable snake_case names. The request id lives in a context
variable (bound by the request-id middleware), so every line of one request carries
it, including the upstream call lines. Personal data never goes into an event.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

import structlog
from structlog.typing import Processor


def configure_logging(
    level: str = "INFO", fmt: str = "json", *, extra_processors: Sequence[Processor] = ()
) -> None:
    """Configure structlog; `extra_processors` see each event just before it is rendered."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
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


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
