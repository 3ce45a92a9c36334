"""Pseudonymisation of data subject ids (BSN, KvK-nummer, ...) with a keyed hash.

HMAC-SHA256 under the configured `privacy.pseudonymisation_key`: the same id gives the
same pseudonym for as long as the key stays the same, so the records of one person can
be found (for an inzageverzoek: hash their BSN with the key and search), while the log
alone reveals no id. Without the key the pseudonym cannot be reversed or recomputed.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr


class Pseudonymiser:
    def __init__(self, key: SecretStr | str | bytes) -> None:
        if isinstance(key, SecretStr):
            key = key.get_secret_value()
        self._key = key.encode() if isinstance(key, str) else key
        if not self._key:
            raise ValueError("the pseudonymisation key is empty")

    def __call__(self, value: str) -> str:
        """The 64-hex-digit pseudonym of `value` (surrounding whitespace ignored)."""
        return hmac.new(self._key, value.strip().encode(), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "Pseudonymiser(key=**********)"
