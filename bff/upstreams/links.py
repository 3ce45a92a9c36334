"""Whether a link an upstream sent lies under that upstream's configured base URL.

An upstream's answers carry absolute URLs (`url`, `next`, a zaaktype) that the BFF may
follow. It follows one only when, after normalising, the scheme, host and port equal
those of the configured base URL and the base's path segments are a prefix of the
link's. Dot segments (`.`, `..`, also percent-encoded) and empty segments are never
followed: `http://<base>/../../x` would otherwise leave the base after the server
resolved it. A string prefix test cannot see any of that.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_and_segments(url: str) -> tuple[tuple[str, str, int | None], list[str]] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number, a bad IPv6 literal
        return None
    if parts.username is not None or parts.password is not None:
        return None
    segments = parts.path.split("/")[1:] if parts.path else []
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port), segments


def relative_path(base_url: str, url: str) -> str | None:
    """The part of `url` below `base_url` (path and query), or None when it is not under it."""
    base = _origin_and_segments(base_url)
    link = _origin_and_segments(url)
    if base is None or link is None or base[0] != link[0] or not base[0][1]:
        return None
    base_segments = [s for s in base[1] if s]  # the configured base ends in "/"
    segments = link[1]
    if len(segments) < len(base_segments) or segments[: len(base_segments)] != base_segments:
        return None
    rest = segments[len(base_segments) :]
    decoded = [unquote(s) for s in rest]
    if any(s in (".", "..") or "/" in s or "\\" in s for s in decoded):
        return None
    if any(s == "" for s in rest[:-1]):  # "//" inside the path
        return None
    query = urlsplit(url).query
    return "/".join(rest) + (f"?{query}" if query else "")
