"""The lean send path: the same request on the wire as `AsyncClient.request` would send."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bff.errors import UpstreamError
from bff.upstreams.auth import TokenAuth
from bff.upstreams.base import UpstreamClient, WireModel, page_type
from bff.upstreams.sending import Sender, encode_query
from tests.upstreams.conftest import KI

CASES: list[tuple[str, dict[str, Any] | None]] = [
    ("partijen", None),
    ("partijen", {}),
    ("partijen/3f1e1c2a-0000-4000-8000-000000000001", {"expand": "digitaleAdressen"}),
    ("klantcontacten", {"page": 2, "pageSize": 20, "expand": "a,b.c"}),
    ("items", {"flag": True, "off": False, "empty": None, "n": 0}),
    ("items", {"naam": "Émile de Ruyter", "q": "a&b=c d+e/f?g#h"}),
    ("items", {"uuid__in": ["a", "b"], "tuple": ("x", "y")}),
    ("zaken/_zoek", {"pageSize": 50}),
    ("with space", {"a": "1"}),  # needs quoting: httpx builds it
    ("things?x=1", None),  # a query in the path: httpx builds it
    ("", {"a": "1"}),
]


@pytest.mark.parametrize(("path", "params"), CASES)
def test_url_is_what_httpx_builds(path: str, params: dict[str, Any] | None) -> None:
    http = httpx.AsyncClient(base_url=KI + "/")
    expected = http.build_request("GET", path, params=params).url
    built = Sender(http).url(path, params)
    assert built == expected
    assert str(built) == str(expected)
    assert built.raw_path == expected.raw_path
    assert built.params == expected.params


def test_query_values_are_written_as_httpx_writes_them() -> None:
    assert encode_query({"a": True, "b": False, "c": None, "d": 3}) == "a=true&b=false&c=&d=3"


_values = st.one_of(
    st.text(), st.booleans(), st.none(), st.integers(), st.lists(st.text(), max_size=3)
)


@given(st.dictionaries(st.text(), _values, max_size=5))
def test_any_query_is_encoded_as_httpx_encodes_it(params: dict[str, Any]) -> None:
    assert encode_query(params) == str(httpx.QueryParams(params))


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []
        self.authorization: list[str | None] = []  # as sent: an auth flow may reuse the request

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.seen.append(request)
        self.authorization.append(request.headers.get("Authorization"))
        return self.answers.pop(0) if self.answers else httpx.Response(200, json={})


async def test_request_on_the_wire_equals_async_client_request() -> None:
    wire = Recorder(httpx.Response(200), httpx.Response(200))
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        request.headers["X-Hooked"] = "yes"
        hooked.append(request.method)

    http = httpx.AsyncClient(
        base_url=KI + "/",
        transport=wire,
        auth=TokenAuth("secret"),
        headers={"Accept-Crs": "EPSG:4326"},
        event_hooks={"request": [hook]},
    )
    params, body, headers = {"pageSize": 5}, {"naam": "ü", "n": [1, 2]}, {"X-Extra": "1"}
    await http.request("POST", "partijen", params=params, json=body, headers=headers)
    sender = Sender(http)
    await sender.send(sender.request("POST", "partijen", params=params, json=body, headers=headers))
    by_client, by_sender = wire.seen
    assert by_sender.method == by_client.method
    assert by_sender.url == by_client.url
    assert by_sender.headers.multi_items() == by_client.headers.multi_items()
    assert by_sender.content == by_client.content
    assert by_sender.extensions["timeout"] == by_client.extensions["timeout"]
    assert hooked == ["POST", "POST"]


async def test_cookies_an_upstream_sets_are_not_sent_back() -> None:
    wire = Recorder(httpx.Response(200, headers={"Set-Cookie": "sessionid=abc; Path=/"}))
    sender = Sender(httpx.AsyncClient(base_url=KI + "/", transport=wire))
    await sender.send(sender.request("GET", "partijen"))
    await sender.send(sender.request("GET", "partijen"))
    assert "cookie" not in wire.seen[1].headers


class ChallengeAuth(httpx.Auth):
    """Answers a 401 once with a fresh credential, as a token-refreshing auth would."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "old"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = "new"
            yield request


async def test_an_auth_flow_that_answers_a_challenge_is_followed() -> None:
    wire = Recorder(httpx.Response(401), httpx.Response(200, json={"ok": True}))
    sender = Sender(httpx.AsyncClient(base_url=KI + "/", transport=wire, auth=ChallengeAuth()))
    response = await sender.send(sender.request("GET", "partijen"))
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert wire.authorization == ["old", "new"]


class Thing(WireModel):
    uuid: str


def test_a_page_type_is_built_once_per_model() -> None:
    assert page_type(Thing) is page_type(Thing)


async def test_a_malformed_item_on_a_page_is_a_malformed_upstream_answer() -> None:
    page = {"count": 2, "next": None, "results": [{"uuid": "a"}, {"naam": "no uuid"}]}
    wire = Recorder(httpx.Response(200, json=page))
    client = UpstreamClient(httpx.AsyncClient(base_url=KI + "/", transport=wire), timeout_s=1)
    with pytest.raises(UpstreamError) as err:
        await client.first_page("things", Thing)
    assert err.value.reason == "malformed"
