"""Near-boundary invalid values for the BFF's write requests, each with the field a 422 names.

A `Mutation` puts one invalid value into a valid body (from `tests.properties.strategies`):
one character past a length limit, a blank required text, a NUL, a malformed e-mail
address or phone number, a number Klantinteracties refuses (0800, 0900, 14x), digits that
are not ASCII, a BSN that fails the 11-proef.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from tests.properties.strategies import World, text


def long_text(size: int) -> st.SearchStrategy[str]:
    """Exactly `size` letters (one past a limit, whatever the trimming), one letter repeated
    so a failing example stays readable."""
    return st.sampled_from(("x", "é", "ß", "ĳ", "ж", "中", "𝐼")).map(lambda c: c * size)


def _with_nul(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda s, at: s[:at] + "\x00" + s[at:], base, st.integers(0, 5))


BAD_EMAIL_VALUES = (
    "jan",
    "jan@",
    "@example.nl",
    "jan@@example.nl",
    "jan @example.nl",
    "jan@example",
    "jan@example.n",
    "jan..smit@example.nl",
    ".jan@example.nl",
    "jan@-example.nl",
    "jan@example.nl.",
    "jan@exa_mple.nl",
    f"{'j' * 70}@example.nl",
)
BAD_EMAILS = st.sampled_from(BAD_EMAIL_VALUES)
BAD_PHONE_VALUES = (
    "061234567",
    "06123456789",
    "12345",
    "+3161234567890123",
    "+31 6 1234 567a",
    "0612345678x",
    "0012345",
    "06-1234-567",
    "+",
    "0800123456",
    "0800-123456",
    "0900123456",
    "0900-1234567",
    "1400",
    "140020",
    "14020",
    "٠٦١٢٣٤٥٦٧٨",
)
BAD_PHONES = st.sampled_from(BAD_PHONE_VALUES)


@dataclass(frozen=True)
class Mutation:
    """One invalid value at `path` (dotted, list items by index) of a body; `name` is the
    field the 422 must name."""

    path: str
    value: Any
    name: str

    def apply(self, body: dict[str, Any]) -> dict[str, Any]:
        *parents, last = self.path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if isinstance(target, list):
            target[int(last)] = self.value
        else:
            target[last] = self.value
        return body


LIMITS = {  # the klantcontact's texts and their maximum length
    "klantcontact.onderwerp": 200,
    "klantcontact.inhoud": 1000,
    "klantcontact.reactie": 4000,
    "klantcontact.kanaal": 50,
}


def mutations(world: World) -> st.SearchStrategy[Mutation]:
    """A listed near-boundary value, or a klantcontact text one past its limit or with a NUL
    somewhere in generated text."""
    too_long = st.sampled_from(sorted(LIMITS)).flatmap(
        lambda path: long_text(LIMITS[path] + 1).map(lambda v: Mutation(path, v, path))
    )
    with_nul = st.tuples(st.sampled_from(sorted(LIMITS)), _with_nul(text(0, 30))).map(
        lambda pair: Mutation(pair[0], pair[1], pair[0])
    )
    return st.one_of(st.sampled_from(listed_mutations(world)), too_long, with_nul)


def listed_mutations(world: World) -> list[Mutation]:
    """Every near-boundary value above, each once, for a body with klantcontact and klant."""
    actor = world.actoren[0]
    nul = "ab\x00c"
    listed = [
        *(
            Mutation("klantcontact.onderwerp", v, "klantcontact.onderwerp")
            for v in ("x" * 201, "", "   ", nul)
        ),
        *(Mutation("klantcontact.inhoud", v, "klantcontact.inhoud") for v in ("x" * 1001, nul)),
        *(Mutation("klantcontact.reactie", v, "klantcontact.reactie") for v in ("x" * 4001, nul)),
        *(
            Mutation("klantcontact.kanaal", v, "klantcontact.kanaal")
            for v in ("x" * 51, "fax", "bogus", nul)
        ),
        *(Mutation("klantcontact.taal", v, "klantcontact.taal") for v in ("xxxx", "nl", "", nul)),
        *(
            Mutation("klant", {"bsn": v}, "klant.bsn")
            for v in ("123456789", "999993654", "9999936530", "٩٩٩٩٩٣٦٥٣", "99999365a")
        ),
        *(
            Mutation("klant", {"kvkNummer": v}, "klant.kvkNummer")
            for v in ("1234567", "123456789", "١٢٣٤٥٦٧٨")
        ),
        Mutation(
            "klant", {"contactnaam": {"voorletters": "x" * 11}}, "klant.contactnaam.voorletters"
        ),
        Mutation(
            "klant", {"contactnaam": {"achternaam": "x" * 201}}, "klant.contactnaam.achternaam"
        ),
        Mutation("klant", {"contactnaam": {"achternaam": nul}}, "klant.contactnaam.achternaam"),
        Mutation("klant", {"organisatienaam": "x" * 201}, "klant.organisatienaam"),
        *(
            Mutation(
                "digitaleAdressen",
                [{"soortDigitaalAdres": soort, "adres": v, "gebruik": "dit-verzoek"}],
                "digitaleAdressen.0.adres",
            )
            for soort, values in (
                ("email", (*BAD_EMAIL_VALUES, "x" * 81)),
                ("telefoonnummer", BAD_PHONE_VALUES),
                ("overig", ("x" * 81, nul)),
            )
            for v in values
        ),
        Mutation(
            "digitaleAdressen",
            [
                {
                    "soortDigitaalAdres": "email",
                    "adres": "a@example.nl",
                    "gebruik": "dit-verzoek",
                    "omschrijving": "x" * 41,
                }
            ],
            "digitaleAdressen.0.omschrijving",
        ),
        *(
            Mutation(
                "interneTaak",
                {"actor": actor, "gevraagdeHandeling": v},
                "interneTaak.gevraagdeHandeling",
            )
            for v in ("x" * 201, "", nul)
        ),
        Mutation(
            "interneTaak",
            {"actor": actor, "gevraagdeHandeling": "Bellen", "toelichting": "x" * 1001},
            "interneTaak.toelichting",
        ),
        Mutation(
            "productaanvraag",
            {"productcode": "x" * 51, "omschrijving": "X"},
            "productaanvraag.productcode",
        ),
        Mutation(
            "productaanvraag",
            {"productcode": "P", "omschrijving": nul},
            "productaanvraag.omschrijving",
        ),
        Mutation(
            "productaanvraag",
            {"productcode": "P", "omschrijving": "X", "toelichting": "x" * 1001},
            "productaanvraag.toelichting",
        ),
        Mutation(
            "productaanvraag",
            {
                "productcode": "P",
                "omschrijving": "X",
                "interneTaak": {"actor": actor, "toelichting": "x" * 901},
            },
            "productaanvraag.interneTaak.toelichting",
        ),
    ]
    return listed
