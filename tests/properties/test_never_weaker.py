"""The BFF's validation is never weaker than the upstreams': a property over its write requests.

For generated requests, against the sandbox (which answers as the real Open Klant 2.18 and
Objects API do): a valid request is accepted and every upstream write it causes is
accepted too; a request with one near-boundary invalid value is a 422 naming that field,
before any upstream write. Covered: `POST /api/v1/klantcontacten` (klant by partij id, by a
known or new BSN, by KvK-nummer, or an unknown caller; contact details for general use and
for this request only; zaak; interne taak; productaanvraag), `POST /api/v1/partijen`,
`POST /api/v1/partijen/{id}/digitale-adressen`, and the PATCHes of a klantcontact and an
interne taak. One BFF serves all examples of a test; runs are derandomized, so CI sees the
same examples every time, and every listed near-boundary value is tried on every run.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers.harness import start_bff
from tests.properties.mutations import (
    BAD_EMAILS,
    BAD_PHONES,
    Mutation,
    listed_mutations,
    long_text,
    mutations,
)
from tests.properties.strategies import (
    World,
    bsns,
    contactnaam,
    digitaal_adres,
    distinct,
    emails,
    kvk_nummers,
    optional,
    phones,
    registratie,
    text,
    without_none,
)
from tests.properties.support import (
    Recorder,
    Scene,
    assert_accepted,
    assert_refused,
    bounded,
    demo_world,
)

REGISTRATIE = "/api/v1/klantcontacten"
PARTIJEN = "/api/v1/partijen"
WORLD = st.deferred(lambda: st.just(demo_world()))


@pytest.fixture
async def scene() -> AsyncIterator[Scene]:
    recorder = Recorder()
    async with start_bff(wrap_transport=recorder) as bff:
        yield Scene(bff, recorder)


# -- POST /api/v1/klantcontacten -----------------------------------------------------------


@bounded(40)
@given(body=WORLD.flatmap(registratie))
async def test_valid_registration_is_accepted_with_every_upstream_write(
    scene: Scene, body: dict[str, Any]
) -> None:
    response, writes = await scene.send("POST", REGISTRATIE, body)

    assert_accepted(response, writes, body, ok=(201,))


def _broken(world: World) -> st.SearchStrategy[tuple[dict[str, Any], Mutation]]:
    return st.tuples(registratie(world), mutations(world))


@bounded(40)
@given(broken=WORLD.flatmap(_broken))
async def test_registration_with_one_bad_value_is_refused_before_any_write(
    scene: Scene, broken: tuple[dict[str, Any], Mutation]
) -> None:
    body, mutation = broken
    bad = mutation.apply(copy.deepcopy(body))

    response, writes = await scene.send("POST", REGISTRATIE, bad)

    assert_refused(response, writes, bad, mutation.name)


async def test_every_listed_near_boundary_value_is_refused_before_any_write(scene: Scene) -> None:
    world = demo_world()
    valid = {
        "klantcontact": {"kanaal": "telefoon", "onderwerp": "Afvalpas", "taal": "nld"},
        "klant": {"partijId": world.partijen[0]},
    }
    for mutation in listed_mutations(world):
        bad = mutation.apply(copy.deepcopy(valid))

        response, writes = await scene.send("POST", REGISTRATIE, bad)

        assert_refused(response, writes, bad, mutation.name)


# -- POST /api/v1/partijen and its digitale adressen ---------------------------------------


@st.composite
def adres(draw: st.DrawFn) -> dict[str, Any]:
    """A bezoek- or correspondentieadres as the BFF takes it."""
    return without_none(
        straatnaam=draw(optional(text(1, 255))),
        huisnummer=draw(optional(st.integers(1, 99999))),
        huisnummertoevoeging=draw(optional(text(1, 20))),
        postcode=draw(optional(st.from_regex(r"\A[1-9][0-9]{3} ?[A-Z]{2}\Z"))),
        stad=draw(optional(text(1, 255))),
        adresregel1=draw(optional(text(1, 80))),
        land=draw(optional(st.sampled_from(("NL", "BE", "DE", "FR", "TR", "MA")))),
    )


@st.composite
def partij(draw: st.DrawFn, world: World) -> dict[str, Any]:
    adressen = distinct(draw(st.lists(digitaal_adres(), max_size=3)))
    if adressen and draw(st.booleans()):
        adressen[0]["voorkeur"] = True
    if draw(st.booleans()):
        bsn = draw(st.one_of(st.sampled_from(world.bsns), bsns))
        who: dict[str, Any] = without_none(bsn=bsn, contactnaam=draw(optional(contactnaam())))
    else:
        who = without_none(kvkNummer=draw(kvk_nummers), naam=draw(optional(text(1, 200))))
    return without_none(
        **who,
        bezoekadres=draw(optional(adres())),
        correspondentieadres=draw(optional(adres())),
        digitaleAdressen=adressen,
    )


@bounded(30)
@given(body=WORLD.flatmap(partij))
async def test_valid_partij_is_accepted_with_every_upstream_write(
    scene: Scene, body: dict[str, Any]
) -> None:
    response, writes = await scene.send("POST", PARTIJEN, body)

    assert_accepted(response, writes, body, ok=(200, 201))


@st.composite
def adressen_voor_partij(draw: st.DrawFn, world: World) -> tuple[str, dict[str, Any]]:
    adressen = distinct(draw(st.lists(digitaal_adres(), min_size=1, max_size=3)))
    if draw(st.booleans()):
        adressen[-1]["voorkeur"] = True
    return draw(st.sampled_from(world.partijen)), {"digitaleAdressen": adressen}


@bounded(30)
@given(request=WORLD.flatmap(adressen_voor_partij))
async def test_valid_digitale_adressen_are_accepted_with_every_upstream_write(
    scene: Scene, request: tuple[str, dict[str, Any]]
) -> None:
    partij_id, body = request

    response, writes = await scene.send("POST", f"{PARTIJEN}/{partij_id}/digitale-adressen", body)

    assert_accepted(response, writes, body, ok=(200, 201))


ADRES_CANDIDATES = st.one_of(
    st.tuples(st.just("email"), st.one_of(st.emails(), emails, BAD_EMAILS)),
    st.tuples(
        st.just("telefoonnummer"),
        st.one_of(phones(), BAD_PHONES, st.from_regex(r"\A[+0-9 ()-]{1,20}\Z")),
    ),
)


@bounded(60)
@given(candidate=ADRES_CANDIDATES)
@example(candidate=("telefoonnummer", "0800-123456"))
@example(candidate=("telefoonnummer", "0900 1234567"))
@example(candidate=("telefoonnummer", "140 20"))
@example(candidate=("telefoonnummer", "+31 800 123 456"))
@example(candidate=("email", "jan@example.com."))
async def test_a_contact_detail_the_bff_takes_is_taken_upstream_and_one_it_refuses_writes_nothing(
    scene: Scene, candidate: tuple[str, str]
) -> None:
    soort, adres = candidate
    partij_id = demo_world().partijen[0]
    body = {"digitaleAdressen": [{"soortDigitaalAdres": soort, "adres": adres}]}

    response, writes = await scene.send("POST", f"{PARTIJEN}/{partij_id}/digitale-adressen", body)

    if response.status_code == 422:
        assert_refused(response, writes, body, "digitaleAdressen.0.adres")
    else:
        assert_accepted(response, writes, body, ok=(200, 201))


# -- PATCH of a klantcontact and of an interne taak ----------------------------------------


KLANTCONTACT_CHANGES = st.one_of(
    st.fixed_dictionaries({}, optional={"inhoud": text(0, 1000), "reactie": text(0, 4000)})
    .filter(bool)
    .map(lambda change: (None, change)),
    long_text(1001).map(lambda v: ("inhoud", {"inhoud": v})),
    long_text(4001).map(lambda v: ("reactie", {"reactie": v})),
    text(0, 20).map(lambda v: ("inhoud", {"inhoud": v + "\x00"})),
    text(0, 20).map(lambda v: ("reactie", {"reactie": "\x00" + v})),
)


@bounded(40)
@given(change=KLANTCONTACT_CHANGES)
async def test_klantcontact_patch_is_accepted_upstream_or_refused_before_writing(
    scene: Scene, change: tuple[str | None, dict[str, Any]]
) -> None:
    refused_field, body = change
    path = f"{REGISTRATIE}/{demo_world().klantcontact}"
    current = await scene.bff.client.get(path, headers=scene.bff.auth_vertrouwelijk())
    etag = {"If-Match": current.headers["ETag"]}

    response, writes = await scene.send("PATCH", path, body, etag)

    if refused_field is None:
        assert_accepted(response, writes, body, ok=(200,))
    else:
        assert_refused(response, writes, body, refused_field)


TAAK_CHANGES = st.one_of(
    st.just(("flip", None)),
    st.tuples(
        st.just("reassign"),
        st.lists(WORLD.flatmap(lambda w: st.sampled_from(w.actoren)), min_size=1, max_size=3),
    ),
    st.sampled_from(
        (
            ("bad:status", {"status": "open"}),
            ("bad:toegewezenAanActoren", {"toegewezenAanActoren": []}),
            ("bad:toegewezenAanActoren", {"toegewezenAanActoren": ["no-uuid"]}),
            ("bad:status", "same"),  # the status it already has
        )
    ),
)


@bounded(40)
@given(change=TAAK_CHANGES)
async def test_interne_taak_patch_is_accepted_upstream_or_refused_before_writing(
    scene: Scene, change: tuple[str, Any]
) -> None:
    kind, value = change
    path = f"/api/v1/interne-taken/{demo_world().internetaak}"
    probe = await scene.bff.client.patch(
        path,
        json={"status": "verwerkt"},
        headers={**scene.bff.auth_vertrouwelijk(), "If-Match": '"stale"'},
    )
    assert probe.status_code == 412, probe.text
    status = probe.json()["current"]["status"]["code"]
    etag = {"If-Match": probe.headers["ETag"]}
    other = "te_verwerken" if status == "verwerkt" else "verwerkt"
    if kind.startswith("bad:"):
        body = {"status": status} if value == "same" else value
        response, writes = await scene.send("PATCH", path, body, etag)
        names = [p["name"] for p in response.json().get("invalidParams", [])]
        field = kind.removeprefix("bad:")
        assert_refused(
            response, writes, body, next((n for n in names if n.startswith(field)), field)
        )
        return
    body = {"status": other} if kind == "flip" else {"toegewezenAanActoren": value}
    if kind == "reassign" and status == "verwerkt":
        body["status"] = "te_verwerken"  # a verwerkt taak is reopened to be reassigned

    response, writes = await scene.send("PATCH", path, body, etag)

    assert_accepted(response, writes, body, ok=(200,))
