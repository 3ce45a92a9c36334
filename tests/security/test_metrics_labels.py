"""No personal value reaches the `/metrics` exposition, whatever the requests carried.

Every sample request of the endpoint sweep (good paths, bad input, failing upstreams)
goes through one BFF, and then some requests with personal values in places a label
could be taken from (the path, the method, headers); the exposition must hold none of
the demo data's values nor the typed ones, while it does count those requests. The log
capture of the harness also checks the access log line of a request whose method is a
BSN (a method is any token a client sends).
"""

from __future__ import annotations

from tests.helpers.harness import DEMO_BSN, start_bff
from tests.helpers.personal_data import demo_personal_values
from tests.security.calls import EMAIL, NAAM, TELEFOON, TYPED
from tests.security.samples import SAMPLES, drive


async def test_metrics_hold_no_personal_data_after_every_sample_request() -> None:
    everything = demo_personal_values().plus(*TYPED)
    async with start_bff() as bff:
        for sample in SAMPLES:
            await drive(bff, sample)
            bff.sandbox.faults.clear()
        headers = {**bff.auth(), "User-Agent": NAAM}
        for path in (
            f"/api/v1/personen/{DEMO_BSN}",
            f"/{EMAIL}",
            f"/api/v1/klantcontacten/{TELEFOON}",
        ):
            await bff.client.get(path, headers=headers)
        await bff.client.request(DEMO_BSN, "/api/v1/klantbeeld", headers=headers)
        text = (await bff.client.get("/metrics")).text
    assert everything.find(text) == []
    assert 'route="/api/v1/klantbeeld"' in text
    assert 'route="/api/v1/klantcontacten/{id}"' in text
    assert 'route="unmatched"' in text
    assert 'method="other"' in text
    assert 'upstream="brp"' in text
