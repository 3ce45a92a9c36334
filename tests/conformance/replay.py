"""Conformance replay: send a recorded case to a server and compare its answer with the record.

A corpus (`../shared/conformance/*.jsonl`, format in its README) holds one case a line:
`given` requests that create what the case needs, the `when` request, and `then`, the parts
of the real server's answer that were recorded. `replay(case, target, context)` runs one case
against any server reachable through an `httpx.AsyncClient` (an ASGI transport or a real URL)
or an async `send` callable, and returns the differences, empty when the answers agree.

The engine knows no upstream: paths are taken relative to the client's `base_url`, default
headers come from the `Context` (`{$token}` stands for its token, a string or a callable
that mints a fresh one per request), and every case may name its own headers.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

Case = Mapping[str, Any]
# A target other than an httpx client: gets each request with the case's path as its URL
# (relative, as recorded) and resolves it itself.
Send = Callable[[httpx.Request], Awaitable[httpx.Response]]

TOKEN_PLACEHOLDER = "{$token}"
_PLACEHOLDER = re.compile(r"\{(\$token|[A-Za-z_][\w-]*(?:\.[\w$-]+)*)\}")
_ABSENT = object()
_COMPARED = (
    "status",
    "contentType",
    "apiVersion",
    "code",
    "invalidParams",
    "keys",
    "resultKeys",
    "count",
    "values",
    "types",
    "keysAt",
    "lengths",
)


@dataclass(frozen=True)
class Context:
    """What a corpus leaves to the replayer: the token and the headers every request carries.

    `headers` values may contain `{$token}`; a case's own `headers` are laid over them and a
    `null` there removes the header.
    """

    token: str | Callable[[], str] = ""
    headers: Mapping[str, str] = field(
        default_factory=lambda: {"Authorization": f"Token {TOKEN_PLACEHOLDER}"}
    )

    def current_token(self) -> str:
        return self.token() if callable(self.token) else self.token


@dataclass(frozen=True)
class Difference:
    """One part of `then` the server answered otherwise."""

    part: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.part}: expected {_show(self.expected)}, got {_show(self.actual)}"


def load_corpus(path: Path) -> list[dict[str, Any]]:
    """The cases of a jsonl corpus, in file order."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def live_target(name: str) -> tuple[str, str] | None:
    """(`url`, `token`) from `BFF_CONFORMANCE_<NAME>_URL` / `_TOKEN`, or None when not set."""
    url = os.environ.get(f"BFF_CONFORMANCE_{name.upper()}_URL", "").strip()
    if not url:
        return None
    return url.rstrip("/"), os.environ.get(f"BFF_CONFORMANCE_{name.upper()}_TOKEN", "")


async def replay(
    case: Case, target: httpx.AsyncClient | Send, context: Context | None = None
) -> list[Difference]:
    """Run `case` (its `given` steps, then `when`) and compare the answer with its `then`."""
    context = context or Context()
    send = _sender(target)
    bound: dict[str, Any] = {}
    for index, step in enumerate(case.get("given", [])):
        response = await send(_request(target, step, bound, context))
        if response.status_code != step.get("expect", response.status_code):
            detail = f"{response.status_code} {response.text[:300]}"
            return [Difference(f"given[{index}] {step.get('as', '')}", step["expect"], detail)]
        if "as" in step:
            bound[step["as"]] = _json(response)
    response = await send(_request(target, case["when"], bound, context))
    return compare(case["then"], response)


def compare(then: Mapping[str, Any], response: httpx.Response) -> list[Difference]:
    """Every recorded part of `then` that the answer does not show."""
    body = _json(response)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    actual: dict[str, Any] = {
        "status": response.status_code,
        "contentType": media_type or None,
        "apiVersion": response.headers.get("api-version"),
    }
    differences = [Difference(f"then.{k}", "a part this replay compares", None) for k in then]
    differences = [d for d in differences if d.part.removeprefix("then.") not in _COMPARED]
    for part in ("status", "contentType", "apiVersion"):
        if part in then and then[part] != actual[part]:
            differences.append(Difference(part, then[part], actual[part]))
    whole = _object(body)
    if "code" in then and then["code"] != whole.get("code"):
        differences.append(Difference("code", then["code"], whole.get("code")))
    if "invalidParams" in then:
        expected = sorted([list(pair) for pair in then["invalidParams"]])
        got = _invalid_params(whole.get("invalidParams"))
        if expected != got:
            differences.append(Difference("invalidParams", expected, got))
    if "keys" in then and sorted(then["keys"]) != _keys(body):
        differences.append(Difference("keys", sorted(then["keys"]), _keys(body)))
    if "resultKeys" in then:
        results = whole.get("results")
        first = results[0] if isinstance(results, list) and results else {}
        if sorted(then["resultKeys"]) != _keys(first):
            differences.append(Difference("resultKeys", sorted(then["resultKeys"]), _keys(first)))
    if "count" in then and then["count"] != whole.get("count"):
        differences.append(Difference("count", then["count"], whole.get("count")))
    differences.extend(_at_paths(then, body))
    return differences


def _at_paths(then: Mapping[str, Any], body: Any) -> list[Difference]:
    """The `values`, `types`, `keysAt` and `lengths` parts, one difference per path."""
    differences = []
    for path, expected in then.get("values", {}).items():
        got = _lookup(body, path)
        if _is_absent_marker(expected):
            if got is not _ABSENT:
                differences.append(Difference(f"values.{path}", expected, got))
        elif got is _ABSENT or _canonical(got) != _canonical(expected):
            differences.append(Difference(f"values.{path}", expected, _shown(got)))
    for path, expected in then.get("types", {}).items():
        kind = _type_name(_lookup(body, path))
        if kind != expected:
            differences.append(Difference(f"types.{path}", expected, kind))
    for path, expected in then.get("keysAt", {}).items():
        keys = _keys(_lookup(body, path))
        if keys != (sorted(expected) if isinstance(expected, list) else expected):
            differences.append(Difference(f"keysAt.{path or '(body)'}", expected, keys))
    for path, expected in then.get("lengths", {}).items():
        found = _lookup(body, path)
        length: int | str = len(found) if isinstance(found, list) else _type_name(found)
        if length != expected:
            differences.append(Difference(f"lengths.{path}", expected, length))
    return differences


def _request(
    target: httpx.AsyncClient | Send,
    step: Mapping[str, Any],
    bound: Mapping[str, Any],
    ctx: Context,
) -> httpx.Request:
    """The httpx request of a `given` step or a `when`, placeholders filled in."""
    token = ctx.current_token()
    headers: dict[str, str | None] = {**ctx.headers, **step.get("headers", {})}
    filled = {
        name: _fill(value, bound, token) for name, value in headers.items() if value is not None
    }
    removed = [name for name, value in headers.items() if value is None]
    content: bytes | None = None
    if "raw" in step:
        content = step["raw"].encode() if isinstance(step["raw"], str) else step["raw"]
    elif "body" in step:
        content = json.dumps(_fill(step["body"], bound, token)).encode()
    if content is not None:
        filled["Content-Type"] = "application/json"
    query = {name: _fill(value, bound, token) for name, value in step.get("query", {}).items()}
    path = _fill(step["path"], bound, token)
    if isinstance(target, httpx.AsyncClient):
        request = target.build_request(
            step["method"], path, params=query, headers=filled, content=content
        )
    else:
        request = httpx.Request(step["method"], path, params=query, headers=filled, content=content)
    for name in removed:
        request.headers.pop(name, None)
    return request


def _sender(target: httpx.AsyncClient | Send) -> Send:
    if isinstance(target, httpx.AsyncClient):
        client = target

        async def send(request: httpx.Request) -> httpx.Response:
            return await client.send(request)

        return send
    return target


def _fill(value: Any, bound: Mapping[str, Any], token: str) -> Any:
    """`value` with `{name.path}` and `{$token}` replaced, inside strings, lists and objects."""
    if isinstance(value, dict):
        return {key: _fill(item, bound, token) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, bound, token) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "$token":
            return token
        root, _, rest = name.partition(".")
        if root not in bound:
            return match.group(0)
        found = _lookup(bound[root], rest)
        if found is _ABSENT:
            raise KeyError(f"placeholder {match.group(0)}: no such value in step {root!r}")
        return found if isinstance(found, str) else json.dumps(found)

    return _PLACEHOLDER.sub(replace, value)


def _lookup(body: Any, path: str) -> Any:
    """The value at a dotted path (list items by index); `_ABSENT` when it is not there."""
    found = body
    for segment in path.split(".") if path else []:
        if isinstance(found, dict) and segment in found:
            found = found[segment]
        elif isinstance(found, list) and segment.isdigit() and int(segment) < len(found):
            found = found[int(segment)]
        else:
            return _ABSENT
    return found


def _type_name(value: Any) -> str:
    if value is _ABSENT:
        return "absent"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else type(value).__name__


def _is_absent_marker(expected: Any) -> bool:
    return isinstance(expected, dict) and expected == {"$absent": True}


def _invalid_params(params: Any) -> list[list[Any]]:
    if not isinstance(params, list):
        return []
    return sorted([[p.get("name"), p.get("code")] for p in params if isinstance(p, dict)])


def _keys(value: Any) -> list[str] | str:
    return sorted(value) if isinstance(value, dict) else _type_name(value)


def _object(body: Any) -> Mapping[str, Any]:
    return body if isinstance(body, dict) else {}


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return _ABSENT


def _canonical(value: Any) -> str:
    """JSON text with sorted keys: `true` and `1` differ, key order does not."""
    return json.dumps(value, sort_keys=True)


def _shown(value: Any) -> Any:
    return "absent" if value is _ABSENT else value


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:297] + "..."


def summary(outcomes: Sequence[tuple[str, Sequence[Difference]]]) -> str:
    """`N cases, M equal`, the line a replay run prints."""
    equal = sum(1 for _, differences in outcomes if not differences)
    return f"{len(outcomes)} cases, {equal} equal"
