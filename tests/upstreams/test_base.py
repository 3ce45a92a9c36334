"""The shared client core: error translation, paging, foreign URLs, log lines."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from structlog.testing import capture_logs

from bff.errors import NotFound, UpstreamError, UpstreamRejected, UpstreamUnavailable
from bff.upstreams.base import PageOutOfRange, UpstreamClient, WireModel, crs_headers
from bff.upstreams.links import relative_path
from tests.upstreams.conftest import KI, http_client, invalid_page, page


class Thing(WireModel):
    uuid: str
    naam: str | None = None


class DemoClient(UpstreamClient):
    name = "demo"


@pytest.fixture
async def client(ki_router: respx.MockRouter) -> AsyncIterator[DemoClient]:
    c = DemoClient(http_client(ki_router, KI, timeout_s=0.2), timeout_s=0.2)
    yield c
    await c.aclose()


THING = "things/3f1e1c2a-0000-4000-8000-000000000001"


async def test_read_timeout_becomes_upstream_unavailable(client, ki_router):
    ki_router.get(THING).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(UpstreamUnavailable) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "timeout"
    assert err.value.status == 503


async def test_slow_upstream_is_cut_off_at_the_total_deadline():
    # its own router: a call cut off mid-handler is never recorded as made
    router = respx.MockRouter(base_url=KI, assert_all_called=False)
    started = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.sleep(5)
        return httpx.Response(200, json={"uuid": "x"})

    router.get(THING).mock(side_effect=slow)
    client = DemoClient(http_client(router, KI, timeout_s=30), timeout_s=0.05)
    with pytest.raises(UpstreamUnavailable) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "timeout"
    assert started.is_set()
    await client.aclose()


async def test_connect_error_becomes_unreachable(client, ki_router):
    ki_router.get(THING).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(UpstreamUnavailable) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "unreachable"


@pytest.mark.parametrize(
    "reset",
    [
        httpx.ReadError("Connection reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        ConnectionResetError(104, "Connection reset by peer"),
    ],
)
async def test_a_connection_reset_is_unreachable_not_a_timeout(client, ki_router, reset):
    ki_router.get(THING).mock(side_effect=reset)
    with pytest.raises(UpstreamUnavailable) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "unreachable"


async def test_server_error_becomes_upstream_error(client, ki_router):
    ki_router.get(THING).respond(500, text="boom")
    with pytest.raises(UpstreamError) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "status"
    assert "boom" not in err.value.detail


async def test_unparseable_body_becomes_malformed(client, ki_router):
    ki_router.get(THING).respond(200, text="<html>not json</html>")
    with pytest.raises(UpstreamError) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "malformed"


async def test_body_missing_a_guaranteed_field_becomes_malformed(client, ki_router):
    ki_router.get(THING).respond(200, json={"naam": "geen uuid"})
    with pytest.raises(UpstreamError) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "malformed"


async def test_bad_request_becomes_rejected_with_names_and_codes(client, ki_router):
    ki_router.post("things").respond(
        400,
        json={
            "code": "invalid",
            "invalidParams": [{"name": "kanaal", "code": "max_length", "reason": "Te lang"}],
        },
    )
    with capture_logs() as logs, pytest.raises(UpstreamRejected) as err:
        await client.send_model("POST", "things", Thing, json={"kanaal": "x" * 60})
    assert [(p.name, p.code) for p in err.value.invalid_params] == [("kanaal", "max_length")]
    assert err.value.extra()["invalidParams"] == [{"name": "kanaal", "code": "max_length"}]
    warning = next(e for e in logs if e["event"] == "upstream_rejected")
    assert warning["invalid_params"] == ["kanaal:max_length"]


async def test_unauthorized_becomes_auth_error(client, ki_router):
    ki_router.get(THING).respond(401, json={"code": "not_authenticated"})
    with pytest.raises(UpstreamError) as err:
        await client.get_model(THING, Thing)
    assert err.value.reason == "auth"


async def test_not_found_on_an_id_becomes_not_found(client, ki_router):
    ki_router.get(THING).respond(404, json={"detail": "Niet gevonden.", "code": "not_found"})
    with pytest.raises(NotFound) as err:
        await client.get_model(THING, Thing, not_found_detail="No such thing.")
    assert err.value.detail == "No such thing."
    assert not isinstance(err.value, PageOutOfRange)


async def test_list_all_follows_next_across_three_pages(client, ki_router):
    route = ki_router.get("things").mock(
        side_effect=[
            httpx.Response(200, json=page([{"uuid": "1"}], next_url=f"{KI}/things?page=2&x=y")),
            httpx.Response(200, json=page([{"uuid": "2"}], next_url=f"{KI}/things?page=3&x=y")),
            httpx.Response(200, json=page([{"uuid": "3"}])),
        ]
    )
    things = await client.list_all("things", Thing, params={"x": "y"})
    assert [t.uuid for t in things] == ["1", "2", "3"]
    assert [dict(c.request.url.params) for c in route.calls] == [
        {"x": "y"},
        {"page": "2", "x": "y"},
        {"page": "3", "x": "y"},
    ]


async def test_list_all_ends_when_a_next_page_has_vanished(client, ki_router):
    ki_router.get("things").mock(
        side_effect=[
            httpx.Response(200, json=page([{"uuid": "1"}], next_url=f"{KI}/things?page=2")),
            invalid_page(),
        ]
    )
    assert [t.uuid for t in await client.list_all("things", Thing)] == ["1"]


async def test_first_page_past_the_end_raises_page_out_of_range(client, ki_router):
    ki_router.get("things", params={"page": "9"}).mock(return_value=invalid_page())
    with pytest.raises(PageOutOfRange):
        await client.first_page("things", Thing, params={"page": 9})


async def test_of_a_foreign_next_link_only_the_query_is_used_on_our_own_base_url(client, ki_router):
    ki_router.get("things").respond(
        200, json=page([{"uuid": "1"}], next_url="http://evil.test/elsewhere?page=2&x=1")
    )
    items = await client.list_all("things", Thing)
    hosts = {call.request.url.host for call in ki_router.calls}
    assert "evil.test" not in hosts
    assert [dict(call.request.url.params) for call in ki_router.calls] == [
        {},
        {"page": "2", "x": "1"},
    ]
    assert len(items) == 2  # then the same `next` again: a loop, which ends the list


async def test_log_line_carries_the_path_template_not_the_id(client, ki_router):
    ki_router.get(THING).respond(200, json={"uuid": "1"})
    with capture_logs() as logs:
        await client.get_model(THING, Thing, template="things/{uuid}")
    (line,) = [e for e in logs if e["event"] == "upstream_call"]
    assert line["path"] == "things/{uuid}"
    assert line["status"] == 200
    assert line["upstream"] == "demo"


def test_crs_headers_per_method():
    assert crs_headers("GET") == {"Accept-Crs": "EPSG:4326"}
    assert crs_headers("POST") == {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
    assert crs_headers("DELETE") == {}


# -- links under the configured base URL, compared by parts ------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "http://upstream.test/klantinteracties/api/v1/../../x",
        "http://upstream.test/klantinteracties/api/v1/%2e%2e/%2E%2E/x",
        "http://upstream.test/klantinteracties/api/v1/./partijen",
        "http://upstream.test/klantinteracties/api/v1/a/..%2f..%2fx",
        "http://upstream.test/klantinteracties/api/v1//evil.example/x",
        "http://upstream.test/klantinteracties/api/v10/partijen",
        "http://upstream.test:8080/klantinteracties/api/v1/partijen",
        "https://upstream.test/klantinteracties/api/v1/partijen",
        "http://upstream.test.evil.example/klantinteracties/api/v1/partijen",
        "http://user@upstream.test/klantinteracties/api/v1/partijen",
    ],
)
def test_a_link_that_leaves_the_base_url_is_not_followed(link: str) -> None:
    assert relative_path("http://upstream.test/klantinteracties/api/v1/", link) is None


@pytest.mark.parametrize(
    ("link", "rel"),
    [
        ("http://upstream.test/klantinteracties/api/v1/partijen/1", "partijen/1"),
        ("HTTP://Upstream.TEST:80/klantinteracties/api/v1/partijen?page=2", "partijen?page=2"),
    ],
)
def test_a_link_under_the_base_url_is_followed_by_its_relative_path(link: str, rel: str) -> None:
    assert relative_path("http://upstream.test/klantinteracties/api/v1/", link) == rel
