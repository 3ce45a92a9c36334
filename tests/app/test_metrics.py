"""`GET /metrics`: requests by route template, upstream calls, caches, registrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client.parser import text_string_to_metric_families

from bff.auth.identity import Medewerker
from bff.metrics import Metrics
from bff.registration import InMemoryRegistrationStore
from bff.registration.model import new_registration
from tests.helpers.harness import DEMO_BSN, Bff, start_bff
from tests.registreren.support import brp_only_bsn

KLANTBEELD = "/api/v1/klantbeeld"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


async def scrape(bff: Bff) -> str:
    r = await bff.client.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return r.text


async def test_metrics_need_no_token_and_are_not_stored() -> None:
    async with start_bff() as bff:
        r = await bff.client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"


async def test_requests_are_counted_by_route_template_and_status_class() -> None:
    async with start_bff() as bff:
        ok = await bff.client.post(KLANTBEELD, json={"bsn": DEMO_BSN}, headers=bff.auth())
        bad = await bff.client.post(KLANTBEELD, json={"bsn": "12"}, headers=bff.auth())
        kc = "00000000-0000-4000-8000-000000000000"
        gone = await bff.client.get(f"/api/v1/klantcontacten/{kc}", headers=bff.auth())
        nowhere = await bff.client.get(f"/nowhere/{DEMO_BSN}")
        odd = await bff.client.request("BREW", "/health")
        text = await scrape(bff)
    assert (ok.status_code, bad.status_code, gone.status_code) == (200, 422, 404)
    assert (nowhere.status_code, odd.status_code) == (404, 405)
    count = "bff_http_request_duration_seconds_count"
    assert value(text, count, method="POST", route=KLANTBEELD, status_class="2xx") == 1
    assert value(text, count, method="POST", route=KLANTBEELD, status_class="4xx") == 1
    route = "/api/v1/klantcontacten/{id}"
    assert value(text, count, method="GET", route=route, status_class="4xx") == 1
    assert value(text, count, method="GET", route="unmatched", status_class="4xx") == 1
    assert value(text, count, method="other", route="/health", status_class="4xx") == 1
    assert value(text, "bff_http_requests_in_flight") == 1  # the scrape itself


async def test_upstream_calls_are_timed_per_upstream_and_failures_counted_by_reason() -> None:
    async with start_bff() as bff:
        await bff.client.post(KLANTBEELD, json={"bsn": DEMO_BSN}, headers=bff.auth())
        bff.sandbox.faults.add("zaken", status=503)
        degraded = await bff.client.post(KLANTBEELD, json={"bsn": DEMO_BSN}, headers=bff.auth())
        text = await scrape(bff)
    assert degraded.status_code == 200  # the zaken section is marked unavailable
    count = "bff_upstream_request_duration_seconds_count"
    for upstream in ("brp", "klantinteracties", "zaken"):
        calls = value(text, count, upstream=upstream, method="GET", outcome="2xx") or value(
            text, count, upstream=upstream, method="POST", outcome="2xx"
        )
        assert calls, upstream
    assert value(text, count, upstream="zaken", method="POST", outcome="5xx")
    assert value(text, "bff_upstream_errors_total", upstream="zaken", reason="status")
    assert value(text, "bff_upstream_errors_total", upstream="brp", reason="status") is None


async def test_cache_hits_and_misses_are_counted_per_cache() -> None:
    async with start_bff() as bff:
        catalogi = bff.services.upstreams.catalogi
        zaaktype = next(iter(bff.sandbox.catalogi.zaaktypen))
        url = f"{catalogi.base_url}zaaktypen/{zaaktype}"
        anna = Medewerker(subject="mdw-anna", naam="Anna de Vries")
        for _ in range(3):
            await catalogi.get_zaaktype(url)
            await bff.services.medewerker_actoren.get_or_create(anna)
        text = await scrape(bff)
    for cache in ("catalogi_zaaktype", "medewerker_actor"):
        assert value(text, "bff_cache_misses_total", cache=cache) == 1, cache
        assert value(text, "bff_cache_hits_total", cache=cache) == 2, cache
    for cache in ("actor", "catalogi_statustype"):
        assert value(text, "bff_cache_hits_total", cache=cache) is not None, cache


async def test_registrations_are_counted_by_state_after_a_call_is_registered() -> None:
    async with start_bff() as bff:
        before = await scrape(bff)
        partij = await bff.client.post(
            "/api/v1/partijen", json={"bsn": brp_only_bsn(bff.sandbox)}, headers=bff.auth()
        )
        await bff.services.registrations.drain()
        after = await scrape(bff)
    assert partij.status_code in (201, 202), partij.text
    assert value(before, "bff_registrations", state="completed") == 0
    assert value(after, "bff_registrations", state="completed") == 1
    assert value(after, "bff_registrations", state="pending") == 0
    assert value(after, "bff_registrations_oldest_unfinished_age_seconds") == 0


async def test_the_oldest_unfinished_registration_gives_its_age() -> None:
    store = InMemoryRegistrationStore()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for minutes, status in ((5, "pending"), (2, "running"), (60, "completed")):
        created = now - timedelta(minutes=minutes)
        reg = new_registration(
            kind="partij", owner="mdw", payload={}, referentienummer="1", steps=(), now=created
        )
        await store.create(reg.model_copy(update={"status": status}))
    metrics = Metrics()
    metrics.watch_registrations(store)
    text = (await metrics.exposition(now=now)).decode()
    assert value(text, "bff_registrations_oldest_unfinished_age_seconds") == 300
    assert value(text, "bff_registrations", state="pending") == 1
    assert value(text, "bff_registrations", state="running") == 1
    assert value(text, "bff_registrations", state="completed") == 1
    assert value(text, "bff_registrations", state="failed") == 0


async def test_requests_turned_away_by_admission_control_are_counted_per_route_class() -> None:
    async with start_bff(admission={"read_in_flight": 1}) as bff:
        read = bff.app.state.admission.classes["read"]
        read.in_flight = 1  # one read is being handled: the next one is over the limit
        busy = await bff.client.post(KLANTBEELD, json={"bsn": DEMO_BSN}, headers=bff.auth())
        text = await scrape(bff)
        read.in_flight = 0
    assert busy.status_code == 503
    assert value(text, "bff_http_requests_rejected_total", route_class="read") == 1
    assert value(text, "bff_http_requests_rejected_total", route_class="write") == 0
    assert value(text, "bff_admission_in_flight", route_class="read") == 1
    assert value(text, "bff_admission_limit", route_class="read") == 1
    count = "bff_http_request_duration_seconds_count"
    assert value(text, count, method="POST", route=KLANTBEELD, status_class="5xx") == 1


async def test_two_apps_keep_their_own_counts() -> None:
    async with start_bff() as one, start_bff() as other:
        await one.client.get("/health")
        text = await scrape(other)
    count = "bff_http_request_duration_seconds_count"
    assert value(text, count, method="GET", route="/health", status_class="2xx") is None
