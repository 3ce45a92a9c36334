"""BRP purpose headers (doelbinding, verwerking, gebruiker) per processing activity.

The municipal BRP proxy wants to know why persons are looked up and by whom. Each
activity may name its own values in `privacy.brp_purposes.<activity>`; unset values
fall back to `brp.doelbinding` / `brp.verwerking`. `gebruiker` is a fixed configured
value or, unset, the medewerker's token subject. Unset values are simply not sent.
"""

from __future__ import annotations

from bff.auth.identity import Medewerker
from bff.settings import BrpPurpose, Settings

DOELBINDING_HEADER = "x-doelbinding"
VERWERKING_HEADER = "x-verwerking"
GEBRUIKER_HEADER = "x-gebruiker"


def brp_purpose_headers(
    settings: Settings, activity: str, medewerker: Medewerker | None = None
) -> dict[str, str]:
    """The purpose headers for one BRP call made for `activity`."""
    purpose = settings.privacy.brp_purposes.get(activity) or BrpPurpose()
    values = {
        DOELBINDING_HEADER: purpose.doelbinding or settings.brp.doelbinding,
        VERWERKING_HEADER: purpose.verwerking or settings.brp.verwerking,
        GEBRUIKER_HEADER: purpose.gebruiker or (medewerker.subject if medewerker else None),
    }
    return {name: value for name, value in values.items() if value}
