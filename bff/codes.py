"""Reference lists (codes): pure lookup with validity windows; the cache is `bff.codes_cache`.

Every code the frontend sees is a `Code {code, naam}`. An unknown code is shown with
`naam: null`, never an error: history holds codes nobody maintains any more. A code
outside its validity window (`begindatumGeldigheid` inclusive, `einddatumGeldigheid`
exclusive) is still named, but `is_valid(code, on=...)` says no; writes validate with it.

    kanaal                the municipality's KANAAL table in Referentielijsten (no fallback)
    taal                  ISO 639-2: the TAAL table when present, else `bff/data/talen.json`;
                          ISO 639-1 and 639-2/B codes are named too (never valid for writes)
    land                  RvIG Tabel 34 (LAND table, else `bff/data/landen.json`) and ISO
                          3166 alpha-2, which Open Klant stores (`bff/data/land_iso_alpha2.json`)
    soortDigitaalAdres, internetaak status, soortActor, soortPartij, betrokkene rol:
                          fixed enums of Klantinteracties with Dutch labels
    identificator codes   codeRegister, codeObjecttype, codeSoortObjectId of partij-,
                          onderwerpobject-, bijlage- and actoridentificatoren: free text
                          upstream; the values the standards and this BFF use are named
    vertrouwelijkheidaanduiding   the Zaken API enum

The upstream tables are cached by `bff.codes_cache.Codes` (in `Services` as `codes`);
`await codes.tables()` gives a `CodeTables`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bff.compose.base import Code
from bff.upstreams.referentielijsten import Item

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Entry:
    """One code of a list with its validity window (None: open-ended)."""

    code: str
    naam: str
    begin: date | None = None
    einde: date | None = None  # exclusive

    def valid_on(self, on: date) -> bool:
        return (self.begin is None or self.begin <= on) and (self.einde is None or on < self.einde)


MAX_NAMED = 4096  # distinct codes remembered per list; upstream text cannot grow it further


def _key(code: str) -> str:
    return code.strip().casefold()


class CodeList:
    """One reference list; lookups ignore case and surrounding spaces.

    `aliases` name a code by another code (ISO 639-1 `nl` -> `nld`); an alias is named
    but never valid.
    """

    def __init__(self, entries: Iterable[Entry], aliases: Mapping[str, str] | None = None) -> None:
        self._entries = {_key(e.code): e for e in entries}
        self._aliases = {_key(a): _key(c) for a, c in (aliases or {}).items()}
        self._named: dict[str, Code] = {}  # `code()` answers: a list is immutable

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, code: str) -> Entry | None:
        key = _key(code)
        return self._entries.get(key) or self._entries.get(self._aliases.get(key, ""))

    def code(self, code: str) -> Code:
        named = self._named.get(code)
        if named is None:
            found = self.entry(code)
            named = Code(code=code, naam=found.naam if found else None)
            if len(self._named) < MAX_NAMED:
                self._named[code] = named
        return named

    def is_valid(self, code: str, on: date) -> bool:
        found = self._entries.get(_key(code))
        return found is not None and found.valid_on(on)


def _enum(**labels: str) -> CodeList:
    return CodeList(Entry(code, naam) for code, naam in labels.items())


SOORT_DIGITAAL_ADRES = _enum(email="E-mail", telefoonnummer="Telefoonnummer", overig="Overig")
INTERNETAAK_STATUS = _enum(te_verwerken="Te verwerken", verwerkt="Verwerkt")
SOORT_ACTOR = _enum(
    medewerker="Medewerker",
    geautomatiseerde_actor="Geautomatiseerde actor",
    organisatorische_eenheid="Organisatorische eenheid",
)
SOORT_PARTIJ = _enum(persoon="Persoon", organisatie="Organisatie", contactpersoon="Contactpersoon")
ROL = _enum(klant="Klant", vertegenwoordiger="Vertegenwoordiger")
CODE_REGISTER = _enum(
    brp="Basisregistratie Personen",
    hr="Handelsregister",
    msei="Microsoft Entra ID (medewerkers, KISS convention)",
    **{"open-zaak": "Zaken API (Open Zaak)", "objecten": "Objecten API"},
)
CODE_OBJECTTYPE = _enum(
    natuurlijk_persoon="Natuurlijk persoon",
    niet_natuurlijk_persoon="Niet-natuurlijk persoon",
    vestiging="Vestiging",
    zaak="Zaak",
    productaanvraag="Productaanvraag",
    object="Object",
    mdw="Medewerker",
)
CODE_SOORT_OBJECT_ID = _enum(
    bsn="Burgerservicenummer",
    kvk_nummer="KvK-nummer",
    rsin="RSIN",
    vestigingsnummer="Vestigingsnummer",
    uuid="UUID",
    url="URL",
    email="E-mailadres",
    sub="Account (OpenID Connect subject)",
)
VERTROUWELIJKHEIDAANDUIDING = _enum(
    openbaar="Openbaar",
    beperkt_openbaar="Beperkt openbaar",
    intern="Intern",
    zaakvertrouwelijk="Zaakvertrouwelijk",
    vertrouwelijk="Vertrouwelijk",
    confidentieel="Confidentieel",
    geheim="Geheim",
    zeer_geheim="Zeer geheim",
)


@dataclass(frozen=True)
class Bundled:
    """The reference data shipped with the BFF (derived by `scripts/derive_reference_data.py`)."""

    talen: tuple[Entry, ...]
    taal_aliases: Mapping[str, str]
    landen: tuple[Entry, ...]
    land_alpha2: Mapping[str, str]  # alpha-2 -> Tabel 34 code
    land_alpha2_naam: Mapping[str, str]  # alpha-2 -> Dutch name (when Tabel 34 lacks the code)


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_bundled() -> Bundled:
    talen = _read("talen.json")
    aliases = {t[k]: t["code"] for t in talen for k in ("iso639_1", "iso639_2b") if t.get(k)}
    iso = _read("land_iso_alpha2.json")
    return Bundled(
        talen=tuple(Entry(t["code"], t["naam"]) for t in talen),
        taal_aliases=aliases,
        landen=tuple(
            Entry(
                land["code"],
                land["naam"],
                date.fromisoformat(land["begindatumGeldigheid"])
                if land["begindatumGeldigheid"]
                else None,
                date.fromisoformat(land["einddatumGeldigheid"])
                if land["einddatumGeldigheid"]
                else None,
            )
            for land in _read("landen.json")
        ),
        land_alpha2={v["alpha2"]: code for code, v in iso.items()},
        land_alpha2_naam={v["alpha2"]: v["naam"] for v in iso.values()},
    )


def entries_from_items(items: Iterable[Item]) -> tuple[Entry, ...]:
    """Referentielijsten items as entries; their date-times count by (UTC) date."""

    def day(moment: datetime | None) -> date | None:
        return moment.astimezone(UTC).date() if moment else None

    return tuple(
        Entry(i.code, i.naam, day(i.begindatum_geldigheid), day(i.einddatum_geldigheid))
        for i in items
    )


def _landen(tabel34: Iterable[Entry], bundled: Bundled) -> CodeList:
    """Tabel 34 codes plus alpha-2 codes, each alpha-2 named like its Tabel 34 code.

    An alpha-2 code is an ISO 3166 country of today, so it never ends with its Tabel 34
    code: `DE` stays valid though Tabel 34 ended `6029` Duitsland in 1991 (Open Klant
    takes `DE`)."""
    by_code = {e.code: e for e in tabel34}
    alpha2 = []
    for code, tabel34_code in bundled.land_alpha2.items():
        same = by_code.get(tabel34_code)
        naam = same.naam if same else bundled.land_alpha2_naam[code]
        alpha2.append(Entry(code, naam, same.begin if same else None, None))
    return CodeList([*by_code.values(), *alpha2])


@dataclass(frozen=True)
class CodeTables:
    """All reference lists at one moment. `stale`: the last refresh failed (or none ever
    succeeded and only the bundled lists are here); `as_of`: when they were loaded."""

    kanalen: CodeList
    talen: CodeList
    landen: CodeList
    stale: bool = False
    as_of: datetime | None = None

    @classmethod
    def build(
        cls,
        bundled: Bundled,
        *,
        kanalen: Iterable[Entry] = (),
        talen: Iterable[Entry] = (),
        landen: Iterable[Entry] = (),
        stale: bool = False,
        as_of: datetime | None = None,
    ) -> CodeTables:
        """Tables from upstream entries; an empty TAAL or LAND table uses the bundled one."""
        taal_entries = tuple(talen) or bundled.talen
        return cls(
            kanalen=CodeList(kanalen),
            talen=CodeList(taal_entries, bundled.taal_aliases),
            landen=_landen(tuple(landen) or bundled.landen, bundled),
            stale=stale,
            as_of=as_of,
        )

    def kanaal(self, code: str) -> Code:
        return self.kanalen.code(code)

    def taal(self, code: str) -> Code:
        return self.talen.code(code)

    def land(self, code: str) -> Code:
        """A Tabel 34 code (`6030`) or an ISO 3166 alpha-2 code (`NL`)."""
        return self.landen.code(code)

    def soort_digitaal_adres(self, code: str) -> Code:
        return SOORT_DIGITAAL_ADRES.code(code)

    def internetaak_status(self, code: str) -> Code:
        return INTERNETAAK_STATUS.code(code)

    def soort_actor(self, code: str) -> Code:
        return SOORT_ACTOR.code(code)

    def soort_partij(self, code: str) -> Code:
        return SOORT_PARTIJ.code(code)

    def rol(self, code: str) -> Code:
        return ROL.code(code)

    def code_register(self, code: str) -> Code:
        return CODE_REGISTER.code(code)

    def code_objecttype(self, code: str) -> Code:
        return CODE_OBJECTTYPE.code(code)

    def code_soort_object_id(self, code: str) -> Code:
        return CODE_SOORT_OBJECT_ID.code(code)

    def is_valid_kanaal(self, code: str, on: date) -> bool:
        """Known and current. With no KANAAL table at all (Referentielijsten unreachable
        since start-up) nothing can be checked, and every kanaal passes: an outage of a
        reference list must not stop a call from being registered."""
        if self.stale and not self.kanalen:
            return True
        return self.kanalen.is_valid(code, on)

    def is_valid_taal(self, code: str, on: date) -> bool:
        return self.talen.is_valid(code, on)
