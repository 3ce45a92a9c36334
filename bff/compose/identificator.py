"""An identificator as the frontend shows it: the object in another register that a partij,
actor, onderwerpobject or bijlage stands for, each code with its meaning.

Pure. Klantinteracties keeps `codeRegister`, `codeObjecttype` and `codeSoortObjectId` as
free text; the values the standards and this BFF write are named (`bff.codes`), any other
is shown with `naam: null`.
"""

from __future__ import annotations

from bff.codes import CodeTables
from bff.compose.base import Code, OutModel
from bff.upstreams.klantinteracties.models import Identificator, PartijIdentificatorGroepType


class IdentificatorView(OutModel):
    code_objecttype: Code | None = None
    code_register: Code | None = None
    code_soort_object_id: Code | None = None
    object_id: str | None = None


def compose_identificator(
    ident: Identificator | PartijIdentificatorGroepType | None, codes: CodeTables
) -> IdentificatorView | None:
    if ident is None:
        return None
    return IdentificatorView(
        code_objecttype=codes.code_objecttype(ident.code_objecttype)
        if ident.code_objecttype
        else None,
        code_register=codes.code_register(ident.code_register) if ident.code_register else None,
        code_soort_object_id=codes.code_soort_object_id(ident.code_soort_object_id)
        if ident.code_soort_object_id
        else None,
        object_id=ident.object_id,
    )
