"""What every upstream client shares: the httpx client factory, paging, error translation.

`UpstreamClient` wraps one long-lived `httpx.AsyncClient` per upstream. It is the one
place where foreign errors become ours:

    httpx timeout / total deadline passed   -> UpstreamUnavailable(reason="timeout")
      (for a write also `unknown_outcome`: the upstream may still commit it)
    httpx transport error (connect, reset)  -> UpstreamUnavailable(reason="unreachable")
      or a raw ConnectionError (a reset a transport did not translate)
    404 on a requested id                    -> NotFound
    404 "Ongeldige pagina." on a list page   -> PageOutOfRange (a NotFound; the end of a list)
    400 on our request                       -> UpstreamRejected (invalidParams names/codes logged)
    401 / 403                                -> UpstreamError(reason="auth")
    5xx, or a body that does not parse       -> UpstreamError(reason="status" / "malformed")

It also refuses to follow a URL outside its configured base URL (a reference inside
upstream data pointing at another host is never fetched; of a `next` link only the
query is used, on our own base URL), and logs
one line per call: upstream, method, path template, status, elapsed ms. An `observer`
(the app's metrics) is told each call's outcome and duration, and each failure's reason.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from bff.errors import (
    InvalidParam,
    NotFound,
    UpstreamError,
    UpstreamFailure,
    UpstreamRejected,
    UpstreamUnavailable,
)
from bff.logs import get_logger
from bff.privacy.trace import add_traceparent
from bff.settings import UpstreamSettings
from bff.upstreams.links import relative_path
from bff.upstreams.sending import Sender

log = get_logger("bff.upstream")

M = TypeVar("M", bound=BaseModel)
WrapTransport = Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]


class WireModel(BaseModel):
    """Base of upstream wire models: frozen, camelCase aliases, unknown fields ignored."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True
    )


class PageOutOfRange(NotFound):
    """A list page past the end: Django REST framework answers 404 "Ongeldige pagina."."""


INVALID_PAGE_DETAILS = frozenset({"Ongeldige pagina.", "Invalid page."})


class Page(WireModel):
    count: int
    next: str | None = None
    previous: str | None = None
    results: list[dict[str, Any]]


class TypedPage(WireModel, Generic[M]):
    """A list page whose items are validated as `M` in the same pass as the page itself:
    the JSON bytes are parsed once, with no intermediate dicts."""

    count: int
    next: str | None = None
    previous: str | None = None
    results: list[M]


_PAGE_TYPES: dict[type[BaseModel], type[TypedPage[Any]]] = {}


def page_type(model: type[M]) -> type[TypedPage[M]]:
    """`TypedPage[model]`, built once per model and kept (pydantic's own cache of
    parametrisations holds them weakly, so without this one each page built a class)."""
    found = _PAGE_TYPES.get(model)
    if found is None:
        found = _PAGE_TYPES[model] = TypedPage[model]  # type: ignore[valid-type]
    return found


CRS = "EPSG:4326"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def crs_headers(method: str) -> dict[str, str]:
    """Geo APIs (Zaken, Objects): `Accept-Crs` unless DELETE, `Content-Crs` on writes."""
    headers: dict[str, str] = {}
    if method != "DELETE":
        headers["Accept-Crs"] = CRS
    if method in WRITE_METHODS:
        headers["Content-Crs"] = CRS
    return headers


def make_transport(settings: UpstreamSettings) -> httpx.AsyncBaseTransport:
    """The default transport: HTTP/1.1 on asyncio with httptools (`Http1Transport`), the
    cheapest per call; over aiohttp (`ReadingAiohttpTransport`) where httptools is not
    installed. Neither reads proxy settings from the environment; a proxy, were one
    configurable, would take the aiohttp transport (`Http1Transport` has none)."""
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_keepalive_connections,
    )
    try:
        from bff.upstreams.http1 import Http1Transport
    except ImportError:
        from bff.upstreams.transport import ReadingAiohttpTransport

        return ReadingAiohttpTransport(limits=limits, trust_env=False)
    return Http1Transport(limits=limits, trust_env=False)


def make_http_client(
    settings: UpstreamSettings,
    *,
    auth: httpx.Auth | None = None,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    wrap_transport: WrapTransport | None = None,
) -> httpx.AsyncClient:
    """`wrap_transport` (tracing) wraps this client's transport, its own even when shared."""
    timeout = httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)
    used = transport or make_transport(settings)
    return httpx.AsyncClient(
        base_url=str(settings.base_url).rstrip("/") + "/",
        auth=auth,
        headers=dict(headers or {}),
        timeout=timeout,
        transport=wrap_transport(used) if wrap_transport else used,
        follow_redirects=False,
        event_hooks={"request": [add_traceparent]},  # W3C trace context on every call
    )


class CallObserver(Protocol):
    """Told about every upstream call; labels are fixed words, never values from a request."""

    def upstream_call(self, upstream: str, method: str, outcome: str, seconds: float) -> None:
        """`outcome`: the status class (`2xx`...`5xx`), `timeout`, `unreachable` or `error`."""

    def upstream_error(self, upstream: str, reason: str) -> None:
        """`reason`: the `UpstreamFailure.reason` (timeout, unreachable, status, auth, ...)."""


class UpstreamClient:
    """A typed, error-translating wrapper around one upstream's `httpx.AsyncClient`."""

    name: str = "upstream"
    observer: CallObserver | None = None

    def __init__(self, http: httpx.AsyncClient, *, timeout_s: float) -> None:
        self.http = http
        self.sender = Sender(http)
        self.timeout_s = timeout_s
        self.base_url = str(http.base_url)

    async def aclose(self) -> None:
        await self.http.aclose()

    # -- URLs -------------------------------------------------------------------------

    def owns(self, url: str) -> bool:
        """True when `url` lies under this upstream's configured base URL (`links`)."""
        return relative_path(self.base_url, url) is not None

    def relative(self, url: str) -> str:
        """Turn an absolute upstream URL into a path under the base, refusing foreign hosts."""
        if url.lower().startswith(("http://", "https://")):
            rel = relative_path(self.base_url, url)
            if rel is None:
                raise UpstreamError(
                    self.name,
                    f"{self.name} returned a link outside its configured address; not followed.",
                    reason="foreign-url",
                )
            return rel
        return url.lstrip("/")

    # -- calls ------------------------------------------------------------------------

    def headers_for(self, method: str) -> Mapping[str, str]:
        """Headers a standard requires per method (e.g. `Accept-Crs`); none by default."""
        return {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        template: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        not_found_detail: str | None = None,
    ) -> httpx.Response:
        """Send one call within the total deadline; translate every failure."""
        rel = self.relative(path)
        tmpl = template or rel.split("?")[0]
        headers = {**self.headers_for(method), **(headers or {})}
        started = time.perf_counter()
        status: int | str = "error"
        try:
            async with asyncio.timeout(self.timeout_s):
                request = self.sender.request(
                    method, rel, params=params, json=json, headers=headers
                )
                response = await self.sender.send(request)
            status = response.status_code
        except (TimeoutError, httpx.TimeoutException) as exc:
            status = "timeout"
            self._failed("timeout")
            raise UpstreamUnavailable(
                self.name,
                f"{self.name} did not answer in time.",
                reason="timeout",
                unknown_outcome=method != "GET",
            ) from exc
        except (httpx.TransportError, ConnectionError) as exc:  # refused, reset, broken pipe
            status = "unreachable"
            self._failed("unreachable")
            raise UpstreamUnavailable(
                self.name,
                f"{self.name} could not be reached.",
                reason="unreachable",
                unknown_outcome=method != "GET" and not isinstance(exc, httpx.ConnectError),
            ) from exc
        finally:
            elapsed = time.perf_counter() - started
            log.info(
                "upstream_call",
                upstream=self.name,
                method=method,
                path=tmpl,
                status=status,
                elapsed_ms=round(elapsed * 1000, 1),
            )
            if self.observer is not None:
                outcome = f"{status // 100}xx" if isinstance(status, int) else status
                self.observer.upstream_call(self.name, method, outcome, elapsed)
        try:
            self._raise_for_status(response, tmpl, not_found_detail)
        except UpstreamFailure as exc:
            self._failed(exc.reason)
            raise
        return response

    def _failed(self, reason: str) -> None:
        if self.observer is not None:
            self.observer.upstream_error(self.name, reason)

    def _raise_for_status(
        self, response: httpx.Response, template: str, not_found_detail: str | None
    ) -> None:
        code = response.status_code
        if code < 400:
            return
        if code == 404:
            if _is_invalid_page(response):
                raise PageOutOfRange(f"{self.name}: no such page.")
            raise NotFound(not_found_detail or f"Not found in {self.name}.")
        if code == 400:
            params = _invalid_params(response)
            log.warning(
                "upstream_rejected",
                upstream=self.name,
                path=template,
                invalid_params=[f"{p.name}:{p.code}" for p in params],
            )
            raise UpstreamRejected(
                self.name, f"{self.name} refused the request as built.", invalid_params=params
            )
        if code in (401, 403):
            raise UpstreamError(
                self.name, f"{self.name} refused our credentials ({code}).", reason="auth"
            )
        raise UpstreamError(self.name, f"{self.name} answered with status {code}.", reason="status")

    async def get_model(self, path: str, model: type[M], **kwargs: Any) -> M:
        return self.parse(await self.request("GET", path, **kwargs), model)

    async def send_model(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        return self.parse(await self.request(method, path, **kwargs), model)

    def parse(self, response: httpx.Response, model: type[M]) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            log.warning(
                "upstream_malformed",
                upstream=self.name,
                model=model.__name__,
                errors=[".".join(map(str, e["loc"])) for e in exc.errors()[:5]],
            )
            self._failed("malformed")
            raise UpstreamError(
                self.name, f"{self.name} sent a response we could not read.", reason="malformed"
            ) from exc

    async def list_all(
        self,
        path: str,
        model: type[M],
        *,
        params: Mapping[str, Any] | None = None,
        template: str | None = None,
        limit: int | None = None,
        page_size: int | None = None,
    ) -> list[M]:
        """Follow the pages until done or `limit` items are collected.

        A `next` page that no longer exists (records deleted meanwhile) ends the list.
        """
        query: dict[str, Any] | None = dict(params or {})
        if page_size:
            query = {**(query or {}), "pageSize": page_size}
        items: list[M] = []
        asked: list[dict[str, Any]] = []
        while query is not None and query not in asked:  # a `next` loop ends the list
            asked.append(query)
            try:
                page = await self.get_model(
                    path, page_type(model), params=query or None, template=template or path
                )
            except PageOutOfRange:
                return items
            for item in page.results:
                items.append(item)
                if limit is not None and len(items) >= limit:
                    return items
            query = next_page_query(page.next)
        return items

    async def first_page(
        self,
        path: str,
        model: type[M],
        *,
        params: Mapping[str, Any] | None = None,
        template: str | None = None,
    ) -> tuple[list[M], int, bool]:
        """One page: (items, total count, whether there is a next page).

        Raises `PageOutOfRange` for a page past the end; callers decide what that means.
        """
        page = await self.get_model(
            path, page_type(model), params=params, template=template or path
        )
        return page.results, page.count, page.next is not None


def _is_invalid_page(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("detail") in INVALID_PAGE_DETAILS


def next_page_query(link: str | None) -> dict[str, str] | None:
    """The query of a `next` link, to ask the same path again on our own base URL.

    Only the query is used: the link's scheme and host are how the upstream (or a proxy
    in front of it) names itself, which need not be the address we were configured with,
    and a host we were not configured with is never contacted.
    """
    if link is None:
        return None
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


def _invalid_params(response: httpx.Response) -> list[InvalidParam]:
    try:
        body = response.json()
    except ValueError:
        return []
    raw = body.get("invalidParams") if isinstance(body, dict) else None
    if not isinstance(raw, list):
        return []
    return [
        InvalidParam(str(p.get("name", "")), str(p.get("reason", "")), str(p.get("code", "")))
        for p in raw
        if isinstance(p, dict)
    ]
