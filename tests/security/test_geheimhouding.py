"""A person with geheimhouding is flagged in every answer that shows them.

Two demo persons have `geheimhoudingPersoonsgegevens` in the BRP, and their partijen
`indicatieGeheimhouding`: 999971104 (Jeroen Verstraten, four klantcontacten) and
999971207 (Otto Hans de Munnik, a klantcontact with an interne taak). Each endpoint
that can show them is asked for them. Wherever a record in the answer (the answer
itself, or an item of a list in it) names the person by BSN or geslachtsnaam, that
record or one around it must carry a geheimhouding flag that is true.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.harness import Bff, start_bff
from tests.security.calls import demo_partij, klantcontacten_of
from tests.security.samples import SAMPLES

VERSTRATEN = ("999971104", "Verstraten")
MUNNIK = ("999971207", "Munnik")
Ask = Callable[[Bff], Awaitable[httpx.Response]]


def _shows(value: Any, person: tuple[str, ...]) -> bool:
    """Whether this record's own fields (not its lists) name the person."""
    if isinstance(value, str):
        return any(p in value for p in person)
    if isinstance(value, dict):
        return any(_shows(v, person) for v in value.values() if not isinstance(v, list))
    return False


def _flagged(value: Any) -> bool:
    """Whether this record's own fields (not its lists) hold a true geheimhouding flag."""
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        if "geheim" in key.lower() and item is True:
            return True
        if isinstance(item, dict) and _flagged(item):
            return True
    return False


def unflagged(
    value: Any, person: tuple[str, ...], path: str = "$", flagged: bool = False
) -> Iterator[str]:
    """Paths of records that show the person with no geheimhouding flag on or around them.

    A record is the answer itself or an item of a list in it; its own fields are those
    not inside a list (nested objects included)."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from unflagged(item, person, f"{path}[{i}]", flagged)
    elif isinstance(value, dict):
        flagged = flagged or _flagged(value)
        if _shows(value, person) and not flagged:
            yield path
        yield from _lists_in(value, person, path, flagged)


def _lists_in(
    value: dict[str, Any], person: tuple[str, ...], path: str, flagged: bool
) -> Iterator[str]:
    for key, item in value.items():
        if isinstance(item, list):
            yield from unflagged(item, person, f"{path}.{key}", flagged)
        elif isinstance(item, dict):
            yield from _lists_in(item, person, f"{path}.{key}", flagged)


def _get(path: Callable[[Bff], str], **params: str) -> Ask:
    async def ask(bff: Bff) -> httpx.Response:
        return await bff.client.get(path(bff), params=params, headers=bff.auth_vertrouwelijk())

    return ask


def _post(path: str, body: dict[str, Any]) -> Ask:
    async def ask(bff: Bff) -> httpx.Response:
        return await bff.client.post(path, json=body, headers=bff.auth_vertrouwelijk())

    return ask


def _klantcontact(bff: Bff) -> dict[str, Any]:
    return klantcontacten_of(bff, demo_partij(bff, VERSTRATEN[0]))[0]


def _taak_actor(bff: Bff) -> str:
    ki = bff.sandbox.klantinteracties
    kc = {k["uuid"] for k in klantcontacten_of(bff, demo_partij(bff, MUNNIK[0]))}
    taak = next(t for t in ki.internetaken.values() if t["aanleidinggevendKlantcontact"] in kc)
    return str(taak["toegewezenAanActoren"][0])


ASKS: dict[str, tuple[Ask, tuple[str, ...]]] = {
    "POST /api/v1/partijen/zoeken bsn": (
        _post("/api/v1/partijen/zoeken", {"bsn": VERSTRATEN[0]}),
        VERSTRATEN,
    ),
    "POST /api/v1/partijen/zoeken naam": (
        _post(
            "/api/v1/partijen/zoeken", {"geslachtsnaam": "Verstr*", "geboortedatum": "1965-06-12"}
        ),
        VERSTRATEN,
    ),
    "POST /api/v1/klantbeeld": (_post("/api/v1/klantbeeld", {"bsn": VERSTRATEN[0]}), VERSTRATEN),
    "GET /api/v1/partijen/{id}/klantbeeld": (
        _get(lambda b: f"/api/v1/partijen/{demo_partij(b, VERSTRATEN[0])}/klantbeeld"),
        VERSTRATEN,
    ),
    "GET /api/v1/klantcontacten/{id}": (
        _get(lambda b: f"/api/v1/klantcontacten/{_klantcontact(b)['uuid']}"),
        VERSTRATEN,
    ),
    "GET /api/v1/klantcontacten": (
        lambda b: _get(
            lambda _: "/api/v1/klantcontacten",
            referentienummer=_klantcontact(b)["referentienummer"],
        )(b),
        VERSTRATEN,
    ),
    "GET /api/v1/interne-taken": (
        lambda b: _get(
            lambda _: "/api/v1/interne-taken", toegewezenAan=_taak_actor(b), pageSize="100"
        )(b),
        MUNNIK,
    ),
}
SAME_VIEW_AS = {
    "PATCH /api/v1/klantcontacten/{id}": "GET /api/v1/klantcontacten/{id}",
    "GET /api/v1/zaken/{id}/klantcontacten": "GET /api/v1/klantcontacten/{id}",  # its items
    "PATCH /api/v1/interne-taken/{id}": "GET /api/v1/interne-taken",
}
SHOWS_NO_PERSON = {  # ids, step states, colleagues: no citizen's name or BSN
    "GET /api/v1/registraties/{id}",
    "GET /api/v1/actoren",
    "POST /api/v1/klantcontacten",
    "POST /api/v1/klantcontacten/{id}/actoren",
    "POST /api/v1/klantcontacten/{id}/vervolg",
    "POST /api/v1/verificaties",  # verified or not and a count: never a BRP value
    "POST /api/v1/partijen",
    "POST /api/v1/partijen/{id}/digitale-adressen",
}


@pytest.mark.parametrize("name", ASKS)
async def test_a_person_with_geheimhouding_is_flagged_wherever_shown(name: str) -> None:
    ask, person = ASKS[name]
    async with start_bff() as bff:
        response = await ask(bff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert _shows_anywhere(body, person), "the answer should show the person"
    assert list(unflagged(body, person)) == []


def _shows_anywhere(value: Any, person: tuple[str, ...]) -> bool:
    if isinstance(value, list):
        return any(_shows_anywhere(v, person) for v in value)
    if isinstance(value, dict):
        return _shows(value, person) or any(_shows_anywhere(v, person) for v in value.values())
    return isinstance(value, str) and any(p in value for p in person)


def test_every_api_route_is_asked_or_shows_no_person() -> None:
    asked = {" ".join(name.split(" ")[:2]) for name in ASKS}
    assert set(SAME_VIEW_AS.values()) <= asked
    assert {s.route for s in SAMPLES} == asked | set(SAME_VIEW_AS) | SHOWS_NO_PERSON


def test_unflagged_finds_records_without_a_flag_and_accepts_a_flag_around_them() -> None:
    person = ("Verstraten",)
    flagged_page = {"geheimhouding": True, "items": [{"naam": "J. Verstraten"}]}
    hits = {"hits": [{"naam": "J. Verstraten", "geheimhouding": True}, {"naam": "J. Verstraten"}]}
    assert list(unflagged(flagged_page, person)) == []
    assert list(unflagged(hits, person)) == ["$.hits[1]"]
    assert list(unflagged({"klant": {"naam": "Verstraten"}}, person)) == ["$"]
