"""A URL in upstream data that points at another host is never fetched, end to end.

The sandbox builds its links from the request's host, so the foreign links are put into
its answers on the way back (`RecordingTransport`'s rewrite), as a misconfigured or
malicious upstream would send them (or a proxy naming the upstream by another host). The
transport records every request the BFF sends: none may go anywhere but the configured
upstreams and the OIDC issuer. Of a `next` link only the query is used, on our own base
URL. The answer still renders: what could not be resolved is shown as unresolved.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers.harness import DEMO_BSN, start_bff
from tests.security.recording import RecordingTransport

FOREIGN = "elders.example"
OURS = {"upstream.test", "issuer.test"}


def _is(request: httpx.Request, method: str, path_end: str) -> bool:
    return request.method == method and request.url.path.endswith(path_end)


class ForeignZaakType:
    """The first zaak of a `_zoek` answer points at another host for zaaktype and status,
    and comes without `_expand` (as when Open Zaak cannot expand what it does not hold)."""

    def __init__(self) -> None:
        self.zaak: str | None = None

    def __call__(self, request: httpx.Request, body: Any) -> Any:
        if _is(request, "POST", "/zaken/_zoek") and body["results"]:
            zaak = body["results"][0]
            self.zaak = zaak["uuid"]
            zaak["zaaktype"] = f"https://{FOREIGN}/catalogi/api/v1/zaaktypen/{zaak['uuid']}"
            zaak["status"] = f"https://{FOREIGN}/zaken/api/v1/statussen/{zaak['uuid']}"
            zaak.pop("_expand", None)
        return body


def foreign_next(path_end: str) -> Any:
    def rewrite(request: httpx.Request, body: Any) -> Any:
        if path_end in request.url.path and isinstance(body, dict) and "results" in body:
            body["next"] = f"https://{FOREIGN}{request.url.path}?page=2"
            body["count"] = len(body["results"]) + 1
        return body

    return rewrite


async def test_klantbeeld_never_fetches_a_zaaktype_or_status_on_another_host() -> None:
    rewrite = ForeignZaakType()
    recorder = RecordingTransport.wrapping(rewrite)
    async with start_bff(wrap_transport=recorder) as bff:
        r = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())
    assert recorder.hosts() == OURS  # the foreign host never, ours were recorded
    assert r.status_code == 200, r.text
    zaken = r.json()["zaken"]
    assert rewrite.zaak is not None
    foreign = next(z for z in zaken["items"] if z["uuid"] == rewrite.zaak)
    assert (foreign["zaaktype"], foreign["status"]) == (None, None)
    assert foreign["identificatie"]
    others = [z for z in zaken["items"] if z["uuid"] != rewrite.zaak]
    assert others
    assert all(z["zaaktype"] for z in others)
    assert r.json()["partij"]["status"] == "ok"


async def test_klantbeeld_asks_a_foreign_zaken_next_page_of_its_own_host() -> None:
    recorder = RecordingTransport.wrapping(foreign_next("/zaken/_zoek"))
    async with start_bff(wrap_transport=recorder) as bff:
        r = await bff.client.post("/api/v1/klantbeeld", json={"bsn": DEMO_BSN}, headers=bff.auth())
    assert recorder.hosts() == OURS  # the foreign host never, ours were recorded
    zoek = [req for req in recorder.requests if req.url.path.endswith("/zaken/_zoek")]
    assert [req.url.params.get("page") for req in zoek] == [None, "2"]  # asked of our host
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["zaken"]["status"] == "ok"
    assert body["zaken"]["items"]
    assert body["partij"]["status"] == body["klantcontacten"]["status"] == "ok"


async def test_search_asks_a_foreign_digitale_adressen_next_page_of_its_own_host() -> None:
    recorder = RecordingTransport.wrapping(foreign_next("/digitaleadressen"))
    async with start_bff(wrap_transport=recorder) as bff:
        r = await bff.client.post(
            "/api/v1/partijen/zoeken",
            json={"emailadres": "suzanne.moulin@mail.example"},
            headers=bff.auth(),
        )
    assert recorder.hosts() == OURS  # the foreign host never, ours were recorded
    asked = [r for r in recorder.requests if r.url.path.endswith("/digitaleadressen")]
    assert any(req.url.params.get("page") == "2" for req in asked)  # of our own host
    assert r.status_code == 200, r.text
    assert [hit["bsn"] for hit in r.json()["items"]] == [DEMO_BSN]
