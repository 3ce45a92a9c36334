"""Contract checks against the official OpenAPI files in `../shared/specs`.

`load_spec` reads one spec file (cached); `validate_response` and `validate_request`
check a JSON body against the schema an operation declares, resolving every
`#/components/...` reference inside the whole spec document. OAS 3.0 specs use the
read/write flavours of `OAS30Validator`, so a `readOnly` required field must be in a
response and may be absent from a request; OAS 3.1 specs use `OAS31Validator`.

drf-spectacular writes a nullable reference as `{allOf: [{$ref}], nullable: true}`. Read
strictly (OAS 3.0.3), `nullable` without `type` means nothing and null would be refused,
while the services do send null there; such wrappers are read as "null or the schema".
Django's optional text fields come back as `""` even where the spec adds a `pattern`,
`format` or `minLength` (Open Klant's empty `bezoekadres.land`): pass `allow_blank=True`
to accept exactly that, and nothing else, for such a service. A PATCH body is partial: by
default `validate_request` checks its fields but not `required` nor a discriminator
(drf-spectacular reuses the full polymorphic schema for `Patched...` bodies).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

SPECS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
SPEC_URI = "urn:kcc-bff:spec"
SKIP_REASON = f"official OpenAPI specs not found at {SPECS_DIR} (CI always has them)"

Spec = dict[str, Any]


def specs_available() -> bool:
    return SPECS_DIR.is_dir()


@functools.cache
def _load(filename: str) -> Spec:
    with (SPECS_DIR / filename).open(encoding="utf-8") as handle:
        loaded: Spec = yaml.safe_load(handle)
    return loaded


def load_spec(filename: str) -> Spec:
    """The parsed spec file `filename` from `../shared/specs` (parsed once per run)."""
    return _load(filename)


def _relaxed(node: Any, allow_blank: bool, partial: bool) -> Any:
    """A copy of `node` with nullable wrappers (and, if asked, blanks or partials) accepted."""
    if isinstance(node, list):
        return [_relaxed(item, allow_blank, partial) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: _relaxed(value, allow_blank, partial) for key, value in node.items()}
    if partial and isinstance(copied.get("required"), list):
        del copied["required"]
    if partial and copied.pop("discriminator", None) is not None and "oneOf" in copied:
        copied["anyOf"] = copied.pop("oneOf")
    if copied.get("nullable") is True and "type" not in copied:
        del copied["nullable"]
        return _either(None, copied)
    constrained = bool({"pattern", "format"} & set(copied)) or copied.get("minLength", 0) > 0
    if allow_blank and copied.get("type") == "string" and constrained:
        return _either("", copied)
    return copied


def _either(value: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """`value` or `schema`; readOnly/writeOnly stay outside, where `required` looks for them."""
    outer: dict[str, Any] = {k: schema.pop(k) for k in ("readOnly", "writeOnly") if k in schema}
    return {"anyOf": [{"enum": [value]}, schema], **outer}


_RELAXED: dict[tuple[int, bool, bool], tuple[Spec, Spec]] = {}


def _relaxed_spec(spec: Spec, allow_blank: bool, partial: bool) -> Spec:
    key = (id(spec), allow_blank, partial)
    if key not in _RELAXED:
        _RELAXED[key] = (spec, _relaxed(spec, allow_blank, partial))
    return _RELAXED[key][1]


def _pointer(*parts: str) -> str:
    escaped = (part.replace("~", "~0").replace("/", "~1") for part in parts)
    return "#/" + "/".join(escaped)


def _json_content(content: dict[str, Any], where: str) -> str:
    for media_type in content:
        if media_type.split(";")[0].strip().endswith("json"):
            return media_type
    raise AssertionError(f"{where} declares no JSON content: {sorted(content)}")


def _validate(
    spec: Spec,
    pointer: str,
    body: Any,
    *,
    reading: bool,
    where: str,
    allow_blank: bool,
    partial: bool = False,
) -> None:
    is_31 = str(spec.get("openapi", "3.0")).startswith("3.1")
    plain = is_31 and not allow_blank and not partial
    contents = spec if plain else _relaxed_spec(spec, allow_blank, partial)
    resource = Resource.from_contents(
        contents, default_specification=DRAFT202012 if is_31 else DRAFT4
    )
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    schema = {"$ref": f"{SPEC_URI}{pointer}"}
    if is_31:
        validator = OAS31Validator(schema, registry=registry, format_checker=oas31_format_checker)
    else:
        flavour = OAS30ReadValidator if reading else OAS30WriteValidator
        validator = flavour(schema, registry=registry, format_checker=oas30_format_checker)
    errors = sorted(validator.iter_errors(body), key=lambda error: len(error.absolute_path))
    if errors:
        lines = [
            f"  at {'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
            for error in errors[:5]
        ]
        raise AssertionError(f"{where}: {len(errors)} schema error(s)\n" + "\n".join(lines))


def _operation(spec: Spec, path_template: str, method: str) -> dict[str, Any]:
    try:
        operation: dict[str, Any] = spec["paths"][path_template][method.lower()]
    except KeyError as exc:
        raise AssertionError(f"spec has no operation {method.upper()} {path_template}") from exc
    return operation


def validate_response(
    spec: Spec,
    path_template: str,
    method: str,
    status: int | str,
    body: Any,
    *,
    allow_blank: bool = False,
) -> None:
    """Raise AssertionError unless `body` matches that operation's response schema."""
    where = f"{method.upper()} {path_template} -> {status}"
    responses = _operation(spec, path_template, method).get("responses", {})
    code = str(status)
    if code not in responses:
        raise AssertionError(f"{where}: status not documented (has {sorted(responses)})")
    content = responses[code].get("content") or {}
    media_type = _json_content(content, where)
    pointer = _pointer(
        "paths", path_template, method.lower(), "responses", code, "content", media_type, "schema"
    )
    _validate(spec, pointer, body, reading=True, where=where, allow_blank=allow_blank)


def validate_request(
    spec: Spec,
    path_template: str,
    method: str,
    body: Any,
    *,
    allow_blank: bool = False,
    partial: bool | None = None,
) -> None:
    """Raise AssertionError unless `body` matches that operation's request body schema.

    `partial` (default: True for PATCH) skips `required` and discriminators.
    """
    where = f"{method.upper()} {path_template} request"
    request_body = _operation(spec, path_template, method).get("requestBody")
    if request_body is None:
        raise AssertionError(f"{where}: operation takes no request body")
    media_type = _json_content(request_body.get("content") or {}, where)
    pointer = _pointer(
        "paths", path_template, method.lower(), "requestBody", "content", media_type, "schema"
    )
    if partial is None:
        partial = method.lower() == "patch"
    _validate(
        spec, pointer, body, reading=False, where=where, allow_blank=allow_blank, partial=partial
    )
