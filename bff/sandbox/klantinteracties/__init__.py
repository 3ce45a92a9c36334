"""The sandbox Klantinteracties API: Open Klant 2.18 (API 0.9.0) over an in-memory store.

`KlantinteractiesStore` holds the records (see `store.py` for their shape); `create_app`
serves them at the paths of the 0.9.0 spec, relative to where it is mounted
(`/klantinteracties/api/v1` in `bff.sandbox.app`), behaving as `UPSTREAM-FACTS.md` says.
"""

from bff.sandbox.klantinteracties.routes import create_app
from bff.sandbox.klantinteracties.store import KlantinteractiesStore

__all__ = ["KlantinteractiesStore", "create_app"]
