"""Gegevensgroepen several Klantinteracties resources share: adres, contactnaam, identificator.

Field declarations follow the 0.9.0 spec (`Bezoekadres`, `Contactnaam`,
`Onderwerpobjectidentificator`, ...). `land` holds an ISO 3166-1 alpha-2 code in upper
case, as Open Klant stores it (`nl`, `NLD`, `6030` are refused); `merge` applies a
validated (possibly partial) group onto the stored one.
"""

from __future__ import annotations

from bff.sandbox.klantinteracties.fields import Field
from bff.sandbox.klantinteracties.store import Record

PHONE_PATTERN = r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$"
# Numbers Open Klant refuses even when they match the pattern (`140` covers `1400`).
REFUSED_PHONE_PREFIXES = ("0800", "0900", "1400", "140")


def telefoonnummer_field(*, required: bool = False) -> Field:
    """An actor's `telefoonnummer`: the phone pattern, and the refused prefixes."""
    return Field(
        "telefoonnummer",
        required=required,
        max_length=20,
        pattern=PHONE_PATTERN,
        refused_prefixes=REFUSED_PHONE_PREFIXES,
    )


# ISO 3166-1 alpha-2, the codes a `land` may hold.
_LANDEN_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
LANDEN = frozenset(_LANDEN_CODES.split())

ADRES_FIELDS = (
    Field("nummeraanduidingId", max_length=16, pattern=r"^[0-9]{16}$"),
    Field("straatnaam", max_length=255),
    Field("huisnummer", "integer", nullable=True, minimum=1, maximum=99999),
    Field("huisnummertoevoeging", max_length=20),
    Field("postcode", max_length=7, pattern=r"^[1-9][0-9]{3} [A-Z]{2}$"),
    Field("stad", max_length=255),
    # Open Klant names these `adresregel_1` ... in its errors (its camelCase leaves `_1`).
    Field("adresregel1", max_length=80, error_name="adresregel_1"),
    Field("adresregel2", max_length=80, error_name="adresregel_2"),
    Field("adresregel3", max_length=80, error_name="adresregel_3"),
    Field("land", max_length=2, min_length=2, allowed=LANDEN),
)

CONTACTNAAM_FIELDS = (
    Field("voorletters", max_length=10),
    Field("voornaam", max_length=200),
    Field("voorvoegselAchternaam", max_length=10),
    Field("achternaam", max_length=200),
)

IDENTIFICATOR_FIELDS = (
    Field("objectId", max_length=200),
    Field("codeObjecttype", max_length=200),
    Field("codeRegister", max_length=200),
    Field("codeSoortObjectId", max_length=200),
)


def merge(stored: Record | None, changes: Record | None, empty: Record) -> Record:
    """The stored group with `changes` applied; a null group resets it to `empty`."""
    if changes is None:
        return dict(empty)
    return {**empty, **(stored or {}), **changes}
