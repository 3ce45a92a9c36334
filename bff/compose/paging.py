"""The one paging style of every list the API answers: an opaque cursor and a page size.

A paged list answers `{items, count, pageSize, nextCursor}`; pass `nextCursor` back as
`cursor` (unchanged) for the next page, `null` means the last page. The cursor fixes the
page size, so `pageSize` may be left out with it. Each list has its own cursor `kind`: a
cursor of one list is refused by another.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from bff.errors import InvalidParam

CURSOR_MAX = 100


@dataclass(frozen=True)
class Paging:
    page: int
    page_size: int


def encode_cursor(kind: str, page: int, page_size: int) -> str:
    raw = f"{kind}:{page}:{page_size}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def next_cursor(kind: str, paging: Paging, *, has_next: bool) -> str | None:
    return encode_cursor(kind, paging.page + 1, paging.page_size) if has_next else None


def decode_cursor(kind: str, cursor: str) -> tuple[int, int]:
    """(page, page size) from a cursor of list `kind`; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor") from None
    prefix, _, rest = raw.partition(":")
    page_text, _, size_text = rest.partition(":")
    if prefix != kind or not (page_text.isascii() and page_text.isdigit()):
        raise ValueError("not a cursor of this list")
    if not (size_text.isascii() and size_text.isdigit()):
        raise ValueError("not a cursor of this list")
    page, size = int(page_text), int(size_text)
    if page < 1 or size < 1:
        raise ValueError("not a cursor of this list")
    return page, size


def resolve_paging(
    kind: str, cursor: str | None, page_size: int | None, *, default: int, maximum: int
) -> tuple[Paging, list[InvalidParam]]:
    """The page asked for by `cursor`/`pageSize`, and the problems with them (if any)."""
    problems: list[InvalidParam] = []
    if page_size is not None and not 1 <= page_size <= maximum:
        problems.append(InvalidParam("pageSize", f"From 1 to {maximum} per page.", "max"))
    paging = Paging(page=1, page_size=page_size or default)
    if cursor is not None:
        try:
            page, size = decode_cursor(kind, cursor)
        except ValueError:
            reason = "Use the nextCursor of the previous page of this list, unchanged."
            problems.append(InvalidParam("cursor", reason, "invalid"))
        else:
            if page_size is not None and page_size != size:
                reason = "The cursor fixes the page size; leave pageSize out or keep it equal."
                problems.append(InvalidParam("pageSize", reason, "cursor-mismatch"))
            paging = Paging(page=page, page_size=min(size, maximum))
    return paging, problems
