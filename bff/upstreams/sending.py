"""Sending one upstream call: httpx requests and responses, without `AsyncClient.send`'s
per-call work that the upstream clients do not use.

`AsyncClient.request` parses the URL up to three times (base merge, params merge,
request), merges headers and cookies, and after the answer parses its headers into a
cookie jar; for a klantbeeld that cost more CPU than everything else together. `Sender`
builds the same `httpx.Request` directly: the path joined onto the client's base URL
(parsed once), the query encoded once as httpx encodes it, the client's headers and
timeout. It then runs what the client would run: its auth flow, its request and
response event hooks, and its transport, which stays the one test seam (respx, ASGI).
The request on the wire is the same. What is left out: cookies (no upstream uses them)
and redirects (the clients never followed them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

import httpx

_PLAIN_PATH = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")
"""A path that needs no quoting (and holds no `?` or `#`): joined onto the base as is."""


def _text(value: Any) -> str:
    """A query value as httpx writes it: booleans lower case, None empty."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


_UNRESERVED = re.compile(r"[A-Za-z0-9_.\-~]*")
"""Text that `urlencode` (quote_plus) leaves as it is."""


def _quoted(text: str) -> str:
    return text if _UNRESERVED.fullmatch(text) else quote_plus(text)


def encode_query(params: Mapping[str, Any]) -> str:
    """`params` as httpx's `QueryParams` encodes them (lists and tuples repeat the key),
    byte for byte as `urlencode` writes them; plain keys and values are not re-quoted."""
    items: list[str] = []
    for key, value in params.items():
        name = _quoted(str(key))
        if isinstance(value, (list, tuple)):
            items.extend(f"{name}={_quoted(_text(v))}" for v in value)
        else:
            items.append(f"{name}={_quoted(_text(value))}")
    return "&".join(items)


class Sender:
    """Sends requests through one `httpx.AsyncClient`'s auth, hooks and transport."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self._base = http.base_url
        self._timeout = http.timeout.as_dict()

    def url(self, path: str, params: Mapping[str, Any] | None) -> httpx.URL:
        """`path` (relative to the base URL) with `params`, as `AsyncClient` would build it."""
        if not _PLAIN_PATH.fullmatch(path):
            return self.http.build_request("GET", path, params=params).url
        base = self._base._uri_reference  # httpx's parsed form; httpx is pinned below 0.29
        url = httpx.URL.__new__(httpx.URL)
        url._uri_reference = base._replace(
            path=base.path + path, query=encode_query(params) if params else None
        )
        return url

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Request:
        merged = self.http.headers.copy()
        if headers:
            merged.update(headers)
        return httpx.Request(
            method,
            self.url(path, params),
            headers=merged,
            json=json,
            extensions={"timeout": self._timeout},
        )

    async def send(self, request: httpx.Request) -> httpx.Response:
        """The complete (read) response; auth flows that answer a challenge are followed."""
        auth = self.http.auth
        flow = auth.async_auth_flow(request) if auth is not None else None
        if flow is not None:
            request = await flow.__anext__()
        while True:
            response = await self._send_once(request)
            if flow is None:
                return response
            try:
                next_request = await flow.asend(response)
            except StopAsyncIteration:
                return response
            await response.aclose()
            request = next_request

    async def _send_once(self, request: httpx.Request) -> httpx.Response:
        hooks = self.http.event_hooks
        for hook in hooks["request"]:
            await hook(request)
        transport = self.http._transport_for_url(request.url)  # honours mounts (proxies)
        response = await transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
            for hook in hooks["response"]:
                await hook(response)
        except BaseException:
            await response.aclose()
            raise
        return response
