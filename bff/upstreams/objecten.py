"""Objects API 2.x (spec 2.6.0): create and read objects (e.g. a productaanvraag).

An object is `{type: <objecttype URL>, record: {typeVersion, data, startAt}}`. The spec
requires `Content-Crs` on writes and accepts `Accept-Crs`; both are sent (EPSG:4326).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import Field

from bff.errors import NotFound
from bff.upstreams.base import Page, UpstreamClient, WireModel, crs_headers


class ObjectRecord(WireModel):
    index: int | None = None
    type_version: int
    data: dict[str, Any] = Field(default_factory=dict)
    start_at: date
    end_at: date | None = None
    registration_at: date | None = None
    correction_for: int | None = None
    corrected_by: int | None = None


class Object(WireModel):
    url: str | None = None
    uuid: str
    type: str
    record: ObjectRecord


class ObjectenClient(UpstreamClient):
    """The Objects API over `Authorization: Token`."""

    name = "objecten"

    def headers_for(self, method: str) -> Mapping[str, str]:
        return crs_headers(method)

    async def create_object(
        self,
        *,
        type_url: str,
        type_version: int,
        data: Mapping[str, Any],
        start_at: date | None = None,
        object_uuid: str | None = None,
    ) -> Object:
        """A new object of the objecttype at `type_url`; `start_at` defaults to today.

        `object_uuid` names the new object (the API accepts a client-chosen uuid): a retry
        can then look for it with `get_object` instead of creating a second one.
        """
        body: dict[str, Any] = {
            "type": type_url,
            "record": {
                "typeVersion": type_version,
                "data": dict(data),
                "startAt": (start_at or date.today()).isoformat(),
            },
        }
        if object_uuid is not None:
            body["uuid"] = str(uuid.UUID(object_uuid))
        return await self.send_model("POST", "objects", Object, json=body)

    async def get_object(self, object_uuid: str) -> Object:
        try:
            path = f"objects/{uuid.UUID(object_uuid)}"
        except ValueError:
            raise NotFound(f"There is no object with id {object_uuid!r}.") from None
        return await self.get_model(path, Object, template="objects/{uuid}")

    async def probe(self) -> str | None:
        response = await self.request("GET", "objects", params={"pageSize": 1})
        self.parse(response, Page)
        version: str | None = response.headers.get("API-version")
        return version
