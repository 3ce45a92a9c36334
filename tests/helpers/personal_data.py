"""The personal data in a sandbox: the values that must never appear in a log line or error.

    values = demo_personal_values()           # derived once from the demo sandbox
    values.find(text)                         # every PersonalValue occurring in `text`
    values.plus(PersonalValue("typed", "Wilhelmina Zwanenburg"))

Values are matched as whole words (a BSN inside a uuid or a trace id does not count)
and case-sensitively. Short names (under 4 characters) are left out: they would match
ordinary words, not people.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bff.sandbox.app import Sandbox

MIN_NAME_LENGTH = 4
MIN_TEXT_LENGTH = 6
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PersonalValue:
    kind: str  # "bsn", "geslachtsnaam", "e-mailadres", ...
    value: str

    def __str__(self) -> str:
        return f"{self.kind} {self.value!r}"


class PersonalValues:
    """A set of personal values, searchable in a text in time linear in the text."""

    def __init__(self, values: Iterable[PersonalValue]) -> None:
        first_kind: dict[str, PersonalValue] = {}
        for v in values:
            if _WORD.search(v.value):
                first_kind.setdefault(v.value, v)  # one entry per value, its first kind
        self.values = frozenset(first_kind.values())
        self._by_word: dict[str, list[PersonalValue]] = {}
        for v in self.values:
            self._by_word.setdefault(_words(v.value)[0], []).append(v)

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[PersonalValue]:
        return iter(self.values)

    def plus(self, *extra: PersonalValue) -> PersonalValues:
        return PersonalValues([*self.values, *extra])

    def kind_of(self, value: str) -> str | None:
        return next((v.kind for v in self.values if v.value == value), None)

    def find(self, text: str) -> list[PersonalValue]:
        """The values that occur in `text` as whole words."""
        found: list[PersonalValue] = []
        for word in set(_words(text)) & self._by_word.keys():
            found.extend(v for v in self._by_word[word] if _occurs(v.value, text))
        return sorted(found, key=lambda v: (v.kind, v.value))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _occurs(value: str, text: str) -> bool:
    pattern = rf"(?<!\w){re.escape(value)}(?!\w)"
    return re.search(pattern, text) is not None


def _name(kind: str, value: Any) -> Iterator[PersonalValue]:
    text = str(value or "").strip()
    if len(text) >= MIN_NAME_LENGTH:
        yield PersonalValue(kind, text)


def _text(kind: str, value: Any) -> Iterator[PersonalValue]:
    text = str(value or "").strip()
    if len(text) >= MIN_TEXT_LENGTH:
        yield PersonalValue(kind, text)


def _exact(kind: str, value: Any) -> Iterator[PersonalValue]:
    text = str(value or "").strip()
    if text:
        yield PersonalValue(kind, text)


def _adres(straat: Any, huisnummer: Any, postcode: Any) -> Iterator[PersonalValue]:
    if straat and huisnummer:
        yield PersonalValue("straat en huisnummer", f"{straat} {huisnummer}")
    code = str(postcode or "").replace(" ", "")
    if len(code) == 6:
        yield PersonalValue("postcode", code)
        yield PersonalValue("postcode", f"{code[:4]} {code[4:]}")


def _brp(sandbox: Sandbox) -> Iterator[PersonalValue]:
    for persoon in sandbox.brp.personen.values():
        yield from _exact("bsn", persoon["burgerservicenummer"])
        naam = persoon.get("naam", {})
        yield from _name("geslachtsnaam", naam.get("geslachtsnaam"))
        yield from _name("volledige naam", naam.get("volledigeNaam"))
        for voornaam in str(naam.get("voornamen", "")).split():
            yield from _name("voornaam", voornaam)
        adres = persoon.get("verblijfplaats", {}).get("verblijfadres", {})
        yield from _adres(
            adres.get("officieleStraatnaam"), adres.get("huisnummer"), adres.get("postcode")
        )
        yield from _text("adresregel", persoon.get("adressering", {}).get("adresregel1"))


def _contactnaam(kind: str, contactnaam: Any) -> Iterator[PersonalValue]:
    if isinstance(contactnaam, dict):
        yield from _name(f"{kind} voornaam", contactnaam.get("voornaam"))
        yield from _name(f"{kind} achternaam", contactnaam.get("achternaam"))


def _klantinteracties(sandbox: Sandbox) -> Iterator[PersonalValue]:
    ki = sandbox.klantinteracties
    for partij in ki.partijen.values():
        identificatie = partij.get("partijIdentificatie") or {}
        yield from _contactnaam("partij", identificatie.get("contactnaam"))
        yield from _name("partij naam", identificatie.get("naam"))
        for key in ("bezoekadres", "correspondentieadres"):
            adres = partij.get(key) or {}
            yield from _adres(
                adres.get("straatnaam"), adres.get("huisnummer"), adres.get("postcode")
            )
    for identificator in ki.partij_identificatoren.values():
        soort = str(identificator.get("codeSoortObjectId") or "id")
        yield from _exact(soort, identificator.get("objectId"))
    for adres in ki.digitaleadressen.values():
        yield from _exact(str(adres.get("soortDigitaalAdres", "adres")), adres.get("adres"))
    for klantcontact in ki.klantcontacten.values():
        for key in ("onderwerp", "inhoud", "reactie"):
            yield from _text(f"klantcontact {key}", klantcontact.get(key))
    for betrokkene in ki.betrokkenen.values():
        yield from _contactnaam("betrokkene", betrokkene.get("contactnaam"))
        yield from _name("organisatienaam", betrokkene.get("organisatienaam"))
    for taak in ki.internetaken.values():
        yield from _text("interne taak toelichting", taak.get("toelichting"))
    for actor in ki.actoren.values():
        if actor.get("soortActor") == "medewerker":
            yield from _name("medewerker naam", actor.get("naam"))
            email = (actor.get("actorIdentificatie") or {}).get("emailadres")
            yield from _exact("medewerker e-mailadres", email)


def personal_values_of(sandbox: Sandbox) -> PersonalValues:
    """Every BSN, name, address, e-mail, phone and message text held by the sandbox."""
    return PersonalValues([*_brp(sandbox), *_klantinteracties(sandbox)])


@functools.cache
def demo_personal_values() -> PersonalValues:
    from tests.helpers.harness import _pristine_demo  # the harness imports this module

    return personal_values_of(_pristine_demo())
