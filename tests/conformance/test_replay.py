"""The replay engine itself: requests it builds and every part of `then` it compares."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conformance.replay import Context, Difference, compare, replay, summary

BASE = "http://server.test/api/v1"


class Recorder:
    """A fake server: answers from a queue, keeps every request it saw."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self), base_url=BASE, **kwargs)


def answer(status: int, body: Any = None, **headers: str) -> httpx.Response:
    headers.setdefault("API-version", "0.9.0")
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def parts(differences: list[Difference]) -> list[str]:
    return [d.part for d in differences]


BASIC = {"status": 200, "contentType": "application/json", "apiVersion": "0.9.0"}


async def test_given_answers_fill_placeholders_in_path_query_body_and_headers() -> None:
    server = Recorder(
        answer(201, {"uuid": "p-1", "ids": [{"objectId": "999993653"}], "n": 7}),
        answer(200, {"ok": True}),
    )
    case = {
        "given": [
            {"as": "partij", "method": "POST", "path": "/partijen", "body": {}, "expect": 201}
        ],
        "when": {
            "method": "PATCH",
            "path": "/partijen/{partij.uuid}",
            "query": {"bsn": "{partij.ids.0.objectId}"},
            "headers": {"X-Number": "{partij.n}"},
            "body": {"ref": {"uuid": "{partij.uuid}"}, "text": "n={partij.n}", "keep": "{other.x}"},
        },
        "then": BASIC,
    }
    async with server.client() as client:
        assert await replay(case, client, Context(token="secret")) == []
    when = server.requests[1]
    assert when.url.path == "/api/v1/partijen/p-1"
    assert when.url.params["bsn"] == "999993653"
    assert when.headers["X-Number"] == "7"
    assert when.headers["Authorization"] == "Token secret"
    assert when.headers["Content-Type"] == "application/json"
    assert json.loads(when.content) == {"ref": {"uuid": "p-1"}, "text": "n=7", "keep": "{other.x}"}


async def test_a_null_header_is_removed_even_when_the_client_sets_it() -> None:
    server = Recorder(answer(401, {"code": "not_authenticated"}), answer(200, {}))
    case = {
        "given": [],
        "when": {
            "method": "GET",
            "path": "/x",
            "headers": {"Authorization": None, "Y": "{$token}"},
        },
        "then": {**BASIC, "status": 401, "code": "not_authenticated"},
    }
    async with server.client(headers={"Authorization": "Token from-client"}) as client:
        assert await replay(case, client, Context(token="t")) == []
    assert "Authorization" not in server.requests[0].headers
    assert server.requests[0].headers["Y"] == "t"


async def test_raw_is_sent_as_is_and_a_callable_token_is_minted_per_request() -> None:
    minted = iter(["jwt-1", "jwt-2"])
    server = Recorder(answer(400, {"code": "parse_error"}))
    case = {
        "given": [],
        "when": {"method": "POST", "path": "/zaken", "raw": "{not json"},
        "then": {**BASIC, "status": 400, "code": "parse_error"},
    }
    context = Context(token=lambda: next(minted), headers={"Authorization": "Bearer {$token}"})
    async with server.client() as client:
        assert await replay(case, client, context) == []
    assert server.requests[0].content == b"{not json"
    assert server.requests[0].headers["Content-Type"] == "application/json"
    assert server.requests[0].headers["Authorization"] == "Bearer jwt-1"


async def test_a_given_step_with_another_status_stops_the_case() -> None:
    server = Recorder(answer(400, {"code": "invalid"}))
    case = {
        "given": [{"as": "p", "method": "POST", "path": "/p", "body": {}, "expect": 201}],
        "when": {"method": "GET", "path": "/p/{p.uuid}"},
        "then": BASIC,
    }
    async with server.client() as client:
        differences = await replay(case, client)
    assert parts(differences) == ["given[0] p"]
    assert len(server.requests) == 1


async def test_a_send_callable_is_a_target_too() -> None:
    seen: list[httpx.Request] = []

    async def send(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(204)

    case = {"given": [], "when": {"method": "DELETE", "path": "http://h/x"}, "then": BASIC}
    differences = await replay(case, send)
    assert parts(differences) == ["status", "contentType"]
    assert seen[0].method == "DELETE"


def test_status_content_type_and_version_are_compared() -> None:
    response = answer(400, {"code": "invalid"}, **{"Content-Type": "application/problem+json"})
    then = {"status": 201, "contentType": "application/json", "apiVersion": "0.8.0"}
    assert parts(compare(then, response)) == ["status", "contentType", "apiVersion"]


def test_code_and_invalid_params_as_sorted_name_code_pairs() -> None:
    body = {
        "code": "invalid",
        "invalidParams": [
            {"name": "b", "code": "required", "reason": "Dit veld is vereist."},
            {"name": "a", "code": "invalid", "reason": "x"},
        ],
    }
    then = {
        "status": 400,
        "code": "invalid",
        "invalidParams": [["a", "invalid"], ["b", "required"]],
    }
    assert compare(then, answer(400, body)) == []
    other = {**then, "code": "parse_error", "invalidParams": [["a", "invalid"]]}
    assert parts(compare(other, answer(400, body))) == ["code", "invalidParams"]


def test_keys_result_keys_and_count() -> None:
    body = {"count": 1, "next": None, "previous": None, "results": [{"b": 1, "a": 2}]}
    then = {"keys": ["count", "next", "previous", "results"], "resultKeys": ["a", "b"], "count": 1}
    assert compare(then, answer(200, body)) == []
    empty = {"count": 0, "next": None, "previous": None, "results": []}
    assert parts(compare(then, answer(200, empty))) == ["resultKeys", "count"]
    assert compare({"resultKeys": []}, answer(200, empty)) == []


@pytest.mark.parametrize(
    ("values", "equal"),
    [
        ({"a.b": "x"}, True),
        ({"a.b": "y"}, False),
        ({"list.1": 2}, True),
        ({"flag": True}, True),
        ({"one": True}, False),  # 1 is not true
        ({"nothing": None}, True),
        ({"nothing": {"$absent": True}}, False),
        ({"gone": {"$absent": True}}, True),
        ({"gone": None}, False),
        ({"a": {"b": "x"}}, True),
    ],
)
def test_values_at_dotted_paths(values: dict[str, Any], equal: bool) -> None:
    body = {"a": {"b": "x"}, "list": [1, 2], "flag": True, "one": 1, "nothing": None}
    assert (compare({"values": values}, answer(200, body)) == []) is equal


def test_types_keys_at_and_lengths() -> None:
    body = {"s": "x", "n": None, "o": {"k": 1, "j": 2}, "l": [1, 2], "i": 3, "f": False}
    then = {
        "types": {"s": "string", "n": "null", "o": "object", "l": "array", "i": "number"},
        "keysAt": {"o": ["j", "k"], "": ["f", "i", "l", "n", "o", "s"], "_expand": "absent"},
        "lengths": {"l": 2},
    }
    assert compare(then, answer(200, body)) == []
    then = {
        "types": {"f": "boolean", "gone": "absent", "s": "null"},
        "keysAt": {"o": ["k"], "s": ["x"]},
        "lengths": {"l": 3, "o": 1},
    }
    assert parts(compare(then, answer(200, body))) == [
        "types.s",
        "keysAt.o",
        "keysAt.s",
        "lengths.l",
        "lengths.o",
    ]


def test_a_part_the_replay_does_not_know_is_a_difference_not_ignored() -> None:
    assert parts(compare({"headersAt": {}}, answer(200, {}))) == ["then.headersAt"]


def test_summary_counts_equal_cases() -> None:
    outcomes = [("a", []), ("b", [Difference("status", 200, 400)]), ("c", [])]
    assert summary(outcomes) == "3 cases, 2 equal"
    assert str(outcomes[1][1][0]) == "status: expected 200, got 400"
