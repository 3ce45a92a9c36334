"""Sandbox Zaken API 1.5.1 as served by Open Zaak 1.30: zaken, rollen, statussen, zaakobjecten.

| module    | concept                                                               |
|-----------|-----------------------------------------------------------------------|
| `store`   | `ZakenStore`: the records, derived relations, serialisation to bodies |
| `filters` | the filter names and their checks; the `/rollen`, `/statussen` filters |
| `search`  | the zaak filters of `GET /zaken` and `POST /zaken/_zoek`, ordering    |
| `api`     | `create_app`: routes, auth and Crs headers, `expand`, a new zaak      |

Zaaktypen, statustypen and roltypen live in the `CatalogiStore` given to the store as
`catalogi`. Demo content is in `bff.sandbox.zgw_demo`.
"""

from __future__ import annotations

from bff.sandbox.zaken.api import API_VERSION, create_app
from bff.sandbox.zaken.store import BASE_PATH, ZakenStore

__all__ = ["API_VERSION", "BASE_PATH", "ZakenStore", "create_app"]
