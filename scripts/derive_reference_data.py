"""Derive the reference lists (talen, landen, landcode mapping) from the shared specs (one-off).

Writes compact JSON, one entry per line, so the runtime never reads the shared specs folder:

- `bff/data/talen.json`: ISO 639-2 terminology codes with their Dutch name (English
  when the Dutch translation is missing), plus the bibliographic code and ISO 639-1 code
  where they exist. The local-use range `qaa-qtz` is left out. Source:
  `iso639-2-talen-nl.csv`. Served by the Referentielijsten sandbox as table `TAAL`, and
  the BFF's fallback when a deployment has no `TAAL` table (`bff.codes`).
- `bff/data/landen.json`: RvIG Tabel 34 landen with validity dates. Source:
  `rvig-tabel34-landen.csv`. Served by the Referentielijsten sandbox as table `LAND`, and
  the BFF's fallback when a deployment has no `LAND` table (`bff.codes`).
- `bff/data/land_iso_alpha2.json`: Tabel 34 landcode -> ISO 3166-1 alpha-2 code and Dutch
  name. Source: `tabel34-landcode-to-iso3166-alpha2.csv`. BFF reference data (Open Klant
  stores alpha-2 where the BRP and Referentielijsten use Tabel 34), not sandbox data.

Usage: `python scripts/derive_reference_data.py [--specs ../shared/specs]`
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _iso_date(raw: str) -> str | None:
    """`YYYYMMDD` (RvIG) -> `YYYY-MM-DD`; empty -> None."""
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}" if raw else None


def talen(specs: Path) -> list[dict[str, Any]]:
    out = []
    for row in _rows(specs / "iso639-2-talen-nl.csv"):
        code = row["alpha_3_terminology"]
        if len(code) != 3:
            continue
        taal: dict[str, Any] = {"code": code, "naam": row["name_nl"] or row["name_en"]}
        if row["alpha_3_bibliographic"] != code:
            taal["iso639_2b"] = row["alpha_3_bibliographic"]
        if row["alpha_2"]:
            taal["iso639_1"] = row["alpha_2"]
        out.append(taal)
    return out


def landen(specs: Path) -> list[dict[str, Any]]:
    rows = _rows(specs / "rvig-tabel34-landen.csv")
    return [
        {
            "code": row["94.10 Landcode"],
            "naam": row["94.11 Omschrijving"],
            "begindatumGeldigheid": _iso_date(row["99.98 Datum ingang"]),
            "einddatumGeldigheid": _iso_date(row["99.99 Datum einde"]),
        }
        for row in rows
    ]


def land_iso_alpha2(specs: Path) -> dict[str, dict[str, str]]:
    rows = _rows(specs / "tabel34-landcode-to-iso3166-alpha2.csv")
    return {
        row["landcode_tabel34"]: {
            "alpha2": row["iso3166_alpha2"],
            "naam": row["omschrijving_tabel34"],
        }
        for row in rows
    }


def _write_list(path: Path, items: list[dict[str, Any]]) -> None:
    lines = ",\n".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in items)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def _write_map(path: Path, mapping: dict[str, Any]) -> None:
    lines = ",\n".join(
        f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False, separators=(',', ':'))}"
        for k, v in mapping.items()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{{\n{lines}\n}}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=Path, default=ROOT.parent / "shared" / "specs")
    args = parser.parse_args()
    data = ROOT / "bff" / "data"
    _write_list(data / "talen.json", talen(args.specs))
    _write_list(data / "landen.json", landen(args.specs))
    _write_map(ROOT / "bff" / "data" / "land_iso_alpha2.json", land_iso_alpha2(args.specs))
    print("wrote talen.json, landen.json and land_iso_alpha2.json")


if __name__ == "__main__":
    main()
