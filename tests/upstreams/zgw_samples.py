"""Open Zaak response bodies (Zaken, Catalogi), trimmed to what the BFF reads."""

from __future__ import annotations

from typing import Any

from tests.upstreams.conftest import CATALOGI, ZAKEN

ZAAK = "aaaaaaaa-0000-4000-8000-000000000001"
STATUS = "aaaaaaaa-0000-4000-8000-000000000002"
ZAAKTYPE = "bbbbbbbb-0000-4000-8000-000000000001"
STATUSTYPE = "bbbbbbbb-0000-4000-8000-000000000002"
ZAAKTYPE_URL = f"{CATALOGI}/zaaktypen/{ZAAKTYPE}"
STATUSTYPE_URL = f"{CATALOGI}/statustypen/{STATUSTYPE}"
STATUS_URL = f"{ZAKEN}/statussen/{STATUS}"


def zaak(uuid: str = ZAAK, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"{ZAKEN}/zaken/{uuid}",
        "uuid": uuid,
        "identificatie": "ZAAK-2026-0000001",
        "bronorganisatie": "002220647",
        "omschrijving": "Aanvraag paspoort",
        "zaaktype": ZAAKTYPE_URL,
        "registratiedatum": "2026-10-01",
        "startdatum": "2026-10-01",
        "einddatum": None,
        "einddatumGepland": "2026-10-31",
        "uiterlijkeEinddatumAfdoening": None,
        "vertrouwelijkheidaanduiding": "openbaar",
        "status": STATUS_URL,
        "resultaat": None,
        "rollen": [],
        "deelzaken": [],
        **extra,
    }


def status() -> dict[str, Any]:
    return {
        "url": STATUS_URL,
        "uuid": STATUS,
        "zaak": f"{ZAKEN}/zaken/{ZAAK}",
        "statustype": STATUSTYPE_URL,
        "datumStatusGezet": "2026-10-02T09:00:00Z",
        "statustoelichting": "",
        "indicatieLaatstGezetteStatus": True,
        "zaakinformatieobjecten": [],
    }


def zaaktype(**extra: Any) -> dict[str, Any]:
    return {
        "url": ZAAKTYPE_URL,
        "identificatie": "PASPOORT",
        "omschrijving": "Aanvraag paspoort",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doorlooptijd": "P30D",
        "servicenorm": None,
        "statustypen": [STATUSTYPE_URL],
        "beginGeldigheid": "2020-01-01",
        "eindeGeldigheid": None,
        "concept": False,
        **extra,
    }


def statustype() -> dict[str, Any]:
    return {
        "url": STATUSTYPE_URL,
        "omschrijving": "In behandeling",
        "omschrijvingGeneriek": "",
        "statustekst": "We behandelen uw aanvraag",
        "zaaktype": ZAAKTYPE_URL,
        "volgnummer": 2,
        "isEindstatus": False,
        "informeren": False,
    }
