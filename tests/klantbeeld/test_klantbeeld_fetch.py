"""The Catalogi-cache fallback for zaken that came without `expand` (not what Open Zaak
1.30 and the sandbox do, so tested here with fakes)."""

from __future__ import annotations

from bff.endpoints.klantbeeld_fetch import resolve_zaak_parts
from bff.errors import UpstreamError
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
    fetched = await resolve_zaak_parts(zaken, catalogi, [bare, expanded])
    assert fetched.problem is None
    parts = fetched.value or {}
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
    parts = (await resolve_zaak_parts(FakeZaken(), catalogi, [bare])).value or {}
    assert parts[bare.uuid].status is None
    assert parts[bare.uuid].statustype is None
    assert catalogi.asked == [bare.zaaktype]


class FailingForOneZaaktype(FakeCatalogi):
    def __init__(self, bad: str) -> None:
        super().__init__()
        self.bad = bad

    async def get_zaaktype(self, url: str) -> ZaakType:
        if url == self.bad:
            raise UpstreamError("catalogi", "link outside the base URL", reason="foreign-url")
        return await super().get_zaaktype(url)


async def test_one_unresolvable_zaaktype_leaves_the_other_zaken_complete() -> None:
    good = s.zaak(expand=False)
    bad = s.zaak("aaaaaaaa-0000-4000-8000-000000000003", expand=False)
    bad = bad.model_copy(update={"zaaktype": "http://elsewhere.test/zaaktypen/1"})
    fetched = await resolve_zaak_parts(
        FakeZaken(), FailingForOneZaaktype(bad.zaaktype), [good, bad]
    )
    parts = fetched.value or {}
    assert parts[good.uuid].zaaktype is not None
    assert parts[bad.uuid].zaaktype is None
    assert parts[bad.uuid].statustype is not None  # its status still resolved
    assert fetched.problem is not None
    assert (fetched.problem.upstream, fetched.problem.reason) == ("catalogi", "failed")
