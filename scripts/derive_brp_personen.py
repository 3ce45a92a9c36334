"""Derive the BRP sandbox persons from the public Haal Centraal mock data (one-off generator).

Reads `brp-personen-mock-test-data.json` (the input format of the public personen-mock:
flat codes, dates as `YYYYMMDD`) and writes two compact files that the sandbox loads at
runtime, so the runtime never reads the shared specs folder:

- `bff/sandbox/data/brp_personen.json`: 40 persons in the BRP Personen bevragen 2.x
  response shape (only the fields the sandbox serves), one person per line.
- `bff/sandbox/data/gemeenten.json`: RvIG Tabel 33 code -> name, only for codes used.

The selection is deterministic (rules below, ties broken by burgerservicenummer), so
running the script again gives the same files:

1. the well-known test person 999993653;
2. the first 3 deceased persons, the first 2 with geheimhoudingPersoonsgegevens and
   the first emigrated person (verblijfplaats buitenland);
3. every resident of the first address (postcode + huisnummer) with 3 to 5 residents;
4. 4 living persons sharing the most common geslachtsnaam;
5. living persons with a Dutch address, at an even stride over the rest, up to 40.

Only persons whose burgerservicenummer passes the 11-proef are chosen, and none of the
generated DigiD fixtures (names with digits).

Usage: `python scripts/derive_brp_personen.py [--specs ../shared/specs]`
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bff" / "sandbox" / "data"
TARGET = 40
ANCHOR = "999993653"
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

Person = dict[str, Any]


def elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (total - int(bsn[8])) % 11 == 0


def datum(raw: str) -> dict[str, Any]:
    """A mock `YYYYMMDD` date as a 2.x date object (unknown parts as `00`)."""
    jaar, maand, dag = int(raw[:4]), int(raw[4:6]), int(raw[6:8])
    if jaar == 0:
        return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    if maand == 0:
        return {"type": "JaarDatum", "jaar": jaar, "langFormaat": str(jaar)}
    if dag == 0:
        lang = f"{MAANDEN[maand - 1]} {jaar}"
        return {"type": "JaarMaandDatum", "jaar": jaar, "maand": maand, "langFormaat": lang}
    iso = f"{jaar:04d}-{maand:02d}-{dag:02d}"
    return {"type": "Datum", "datum": iso, "langFormaat": f"{dag} {MAANDEN[maand - 1]} {jaar}"}


class Tabellen:
    """RvIG Tabel 33 (gemeenten) and 34 (landen) names, recording which gemeenten are used."""

    def __init__(self, specs: Path) -> None:
        self.gemeenten = _tabel(specs / "rvig-tabel33-gemeenten.csv")
        self.landen = _tabel(specs / "rvig-tabel34-landen.csv")
        self.used: dict[str, str] = {}

    def gemeente(self, value: dict[str, str]) -> dict[str, str]:
        code = value.get("code")
        if code is None:  # a place abroad: description only
            return {"omschrijving": value["omschrijving"]}
        # Test gemeenten such as 1810 Toetsoog are not in Tabel 33: keep the mock's name.
        self.used[code] = self.gemeenten.get(code, value.get("omschrijving", ""))
        return {"code": code, "omschrijving": self.used[code]}

    def land(self, value: dict[str, str]) -> dict[str, str]:
        code = value["code"]
        return {"code": code, "omschrijving": self.landen.get(code, value.get("omschrijving", ""))}


def _tabel(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return {row[0]: row[1] for row in rows[1:]}


def naam(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    voornamen = " ".join(raw.get("voornamen", "").split())
    titel = raw.get("adellijkeTitelPredicaat")
    if voornamen:
        out["voornamen"] = voornamen
    if titel:
        out["adellijkeTitelPredicaat"] = titel
    if raw.get("voorvoegsel"):
        out["voorvoegsel"] = raw["voorvoegsel"]
    out["geslachtsnaam"] = raw["geslachtsnaam"]
    if voornamen:
        out["voorletters"] = "".join(
            part if part.endswith(".") else f"{part[0].upper()}." for part in voornamen.split()
        )
    titel_naam = titel["omschrijving"] if titel else ""
    predicaat = titel is not None and titel.get("soort") == "predicaat"
    parts = [
        titel_naam if predicaat else "",
        voornamen,
        "" if predicaat else titel_naam,
        raw.get("voorvoegsel", ""),
        raw["geslachtsnaam"],
    ]
    out["volledigeNaam"] = " ".join(p for p in parts if p)
    if raw.get("aanduidingNaamgebruik"):
        out["aanduidingNaamgebruik"] = raw["aanduidingNaamgebruik"]
    return out


def verblijf(raw: Person, tab: Tabellen) -> tuple[dict[str, Any], dict[str, Any]]:
    """`verblijfplaats` and `adressering` of a person."""
    v = raw["verblijfplaats"]
    if "land" in v:
        regels = {k: v[k] for k in ("regel1", "regel2", "regel3") if v.get(k)}
        adres = {**regels, "land": tab.land(v["land"])}
        plaats: dict[str, Any] = {"type": "VerblijfplaatsBuitenland", "verblijfadres": adres}
        if v.get("datumAanvangAdresBuitenland"):
            plaats["datumVan"] = datum(v["datumAanvangAdresBuitenland"])
        adressering = {f"adresregel{k[-1]}": val for k, val in regels.items()}
        return plaats, {**adressering, "land": adres["land"]}
    woonplaats = v.get("woonplaats") or raw["gemeenteVanInschrijving"]["omschrijving"]
    adres = {
        "officieleStraatnaam": v.get("naamOpenbareRuimte", v["straat"]),
        "korteStraatnaam": v["straat"],
        "huisnummer": int(v["huisnummer"]),
    }
    for key in ("huisletter", "huisnummertoevoeging", "aanduidingBijHuisnummer"):
        if v.get(key):
            adres[key] = v[key]
    adres |= {"postcode": v["postcode"], "woonplaats": woonplaats}
    plaats = {"type": "Adres", "verblijfadres": adres, "functieAdres": v["functieAdres"]}
    for key in ("adresseerbaarObjectIdentificatie", "nummeraanduidingIdentificatie"):
        if v.get(key):
            plaats[key] = v[key]
    plaats["datumVan"] = datum(v.get("datumAanvangAdreshouding", v["datumIngangGeldigheid"]))
    nummer = f"{adres['huisnummer']}{adres.get('huisletter', '')}"
    if adres.get("huisnummertoevoeging"):
        nummer += f"-{adres['huisnummertoevoeging']}"
    bij = v.get("aanduidingBijHuisnummer", {}).get("code")
    regel1 = f"{adres['korteStraatnaam']} {bij + ' ' if bij else ''}{nummer}"
    postcode = f"{adres['postcode'][:4]} {adres['postcode'][4:]}"
    return plaats, {"adresregel1": regel1, "adresregel2": f"{postcode}  {woonplaats.upper()}"}


def nationaliteit(raw: dict[str, Any]) -> dict[str, Any]:
    if raw["nationaliteit"]["code"] == "0000":
        out: dict[str, Any] = {"type": "NationaliteitOnbekend"}
    else:
        out = {"type": "Nationaliteit", "nationaliteit": raw["nationaliteit"]}
    if raw.get("redenOpname"):
        out["redenOpname"] = raw["redenOpname"]
    if raw.get("datumIngangGeldigheid"):
        out["datumIngangGeldigheid"] = datum(raw["datumIngangGeldigheid"])
    return out


def convert(raw: Person, tab: Tabellen) -> Person:
    out: Person = {"burgerservicenummer": raw["burgerservicenummer"]}
    out["geslacht"] = raw["geslacht"]
    out["naam"] = naam(raw["naam"])
    geboorte = raw["geboorte"]
    out["geboorte"] = {"datum": datum(geboorte["datum"])}
    if geboorte.get("land"):
        out["geboorte"]["land"] = tab.land(geboorte["land"])
    if geboorte.get("plaats"):
        out["geboorte"]["plaats"] = tab.gemeente(geboorte["plaats"])
    if raw.get("overlijden"):
        o = raw["overlijden"]
        out["overlijden"] = {"datum": datum(o["datum"]), "land": tab.land(o["land"])}
        if o.get("plaats"):
            out["overlijden"]["plaats"] = tab.gemeente(o["plaats"])
    out["nationaliteiten"] = [nationaliteit(n) for n in raw["nationaliteiten"]]
    out["verblijfplaats"], out["adressering"] = verblijf(raw, tab)
    out["gemeenteVanInschrijving"] = tab.gemeente(raw["gemeenteVanInschrijving"])
    if raw.get("geheimhoudingPersoonsgegevens"):
        out["geheimhoudingPersoonsgegevens"] = True
    if raw.get("opschortingBijhouding"):
        o = raw["opschortingBijhouding"]
        out["opschortingBijhouding"] = {"reden": o["reden"], "datum": datum(o["datum"])}
    return out


def select(persons: list[Person]) -> list[Person]:
    ok = sorted(
        (
            p
            for p in persons
            if elfproef(p["burgerservicenummer"])
            and p.get("geboorte")
            and p.get("geslacht")
            and not any(ch.isdigit() for ch in json.dumps(p["naam"]))  # generated DigiD fixtures
        ),
        key=lambda p: p["burgerservicenummer"],
    )
    dutch = [p for p in ok if p["verblijfplaats"].get("postcode") and "overlijden" not in p]
    chosen: dict[str, Person] = {
        p["burgerservicenummer"]: p for p in ok if p["burgerservicenummer"] == ANCHOR
    }
    chosen |= {p["burgerservicenummer"]: p for p in [q for q in ok if "overlijden" in q][:3]}
    chosen |= {
        p["burgerservicenummer"]: p
        for p in [q for q in dutch if q.get("geheimhoudingPersoonsgegevens")][:2]
    }
    chosen |= {
        p["burgerservicenummer"]: p for p in [q for q in ok if "land" in q["verblijfplaats"]][:1]
    }
    by_address: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for p in dutch:
        by_address[(p["verblijfplaats"]["postcode"], p["verblijfplaats"]["huisnummer"])].append(p)
    household = next(g for _, g in sorted(by_address.items()) if 3 <= len(g) <= 5)
    chosen |= {p["burgerservicenummer"]: p for p in household}
    surname, _ = Counter(p["naam"]["geslachtsnaam"] for p in dutch).most_common(1)[0]
    chosen |= {
        p["burgerservicenummer"]: p
        for p in [q for q in dutch if q["naam"]["geslachtsnaam"] == surname][:4]
    }
    rest = [p for p in dutch if p["burgerservicenummer"] not in chosen]
    stride = max(1, len(rest) // (TARGET - len(chosen)))
    for p in rest[::stride][: TARGET - len(chosen)]:
        chosen[p["burgerservicenummer"]] = p
    return [chosen[bsn] for bsn in sorted(chosen)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=ROOT.parent / "shared" / "specs")
    args = parser.parse_args()
    raw = json.loads((args.specs / "brp-personen-mock-test-data.json").read_text(encoding="utf-8"))
    tab = Tabellen(args.specs)
    personen = [convert(p, tab) for p in select(raw)]
    lines = ",\n".join(json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in personen)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "brp_personen.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    gemeenten = dict(sorted(tab.used.items()))
    (DATA / "gemeenten.json").write_text(
        json.dumps(gemeenten, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(personen)} personen and {len(gemeenten)} gemeenten to {DATA}")


if __name__ == "__main__":
    main()
