"""The Catalogi-cache fallback for zaken that came without `expand` (not what Open Zaak
1.30 and the sandbox do, so tested here with fakes)."""

from __future__ import annotations

from bff.endpoints.klantbeeld_fetch import resolve_zaak_parts
from bff.upstreams.catalogi import StatusType, ZaakType
from bff.upstreams.zaken import Status
from tests.compose import samples as s


class FakeZaken:
    def __init__(self) -> None:
        self.statussen: list[str] = []

    async def get_status(self, ref: str) -> Status:
        self.statussen.append(ref)
        return Status.model_validate(
            {
                "url": ref,
                "zaak": "z",
                "statustype": "http://c/st",
                "datumStatusGezet": "2026-10-02T09:00:00Z",
            }
        )


class FakeCatalogi:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def get_zaaktype(self, url: str) -> ZaakType:
        self.asked.append(url)
        return ZaakType.model_validate({"url": url, "omschrijving": "Paspoort"})

    async def get_statustype(self, url: str) -> StatusType:
        self.asked.append(url)
        return StatusType.model_validate(
            {"url": url, "omschrijving": "Afgerond", "zaaktype": "http://c/zt", "volgnummer": 9}
        )


async def test_zaken_without_expand_get_zaaktype_status_and_statustype_resolved() -> None:
    bare = s.zaak(expand=False)
    expanded = s.zaak("aaaaaaaa-0000-4000-8000-000000000002")
    zaken, catalogi = FakeZaken(), FakeCatalogi()
    parts = await resolve_zaak_parts(zaken, catalogi, [bare, expanded])
    assert list(parts) == [bare.uuid]  # the expanded zaak needs nothing
    resolved = parts[bare.uuid]
    assert resolved.zaaktype is not None
    assert resolved.statustype is not None
    assert (resolved.zaaktype.omschrijving, resolved.statustype.omschrijving) == (
        "Paspoort",
        "Afgerond",
    )
    assert zaken.statussen == [bare.status]
    assert catalogi.asked == [bare.zaaktype, "http://c/st"]


async def test_a_zaak_without_status_gets_only_its_zaaktype() -> None:
    bare = s.zaak(expand=False, status=None)
    catalogi = FakeCatalogi()
    parts = await resolve_zaak_parts(FakeZaken(), catalogi, [bare])
    assert parts[bare.uuid].status is None
    assert parts[bare.uuid].statustype is None
    assert catalogi.asked == [bare.zaaktype]
