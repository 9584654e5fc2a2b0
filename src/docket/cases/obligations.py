"""Who owes an obligation, asked of one case in Python or of many in the database.

A deadline in the protocol is owed by a part in the case (``respondent``,
``panel_chair``, ``party``…), by the body holding the case (``holding_body``) or by a
named body (``body:sc``). A party's advocate owes what their side owes. Both forms below
follow the same table, so the dashboard's database query and a case page agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import Exact

from .models import CaseRole

PARTY_ROLES = ("complainant", "respondent", "complainant_advocate", "respondent_advocate")
# owed_by -> the parts in the case (CaseRole.role) that owe it, where not just itself.
OWED_BY_PARTS: dict[str, tuple[str, ...]] = {
    "party": PARTY_ROLES,
    "advocate": ("complainant_advocate", "respondent_advocate"),
    "complainant": ("complainant", "complainant_advocate"),
    "respondent": ("respondent", "respondent_advocate"),
    "participant": (*PARTY_ROLES, "witness", "investigator", "panel", "panel_chair",
                    "earlier_panel"),
}  # fmt: skip


def owes(owed_by: str, parts: Iterable[str], seat_keys: Iterable[str], holds_case: bool) -> bool:
    """Does someone with these ``parts`` in the case, seated on the bodies ``seat_keys``
    (and on the holding body when ``holds_case``), owe an obligation owed by ``owed_by``?"""
    if owed_by == "holding_body":
        return holds_case
    if owed_by.startswith("body:"):
        return owed_by.removeprefix("body:") in set(seat_keys)
    return bool(set(parts) & set(OWED_BY_PARTS.get(owed_by, (owed_by,))))


def owed_by_q(person_id: int, at: datetime, seats: dict[int, str]) -> Q:
    """The same rule as ``owes``, as a filter on ``CaseObligation`` rows (``seats``: the
    ids and keys of the bodies the person sits on at ``at``)."""
    mine = CaseRole.objects.filter(case=OuterRef("case_id"), person_id=person_id).filter(
        Q(until__isnull=True) | Q(until__gt=at)
    )
    # One look at the person's parts per row: a part owes what is owed by its own name,
    # or by a name in the table that lists it.
    by_part = Q(role=OuterRef("owed_by"))
    for owed_by, parts in OWED_BY_PARTS.items():
        by_part |= Q(Exact(OuterRef("owed_by"), owed_by), role__in=parts)
    return (
        Q(owed_by="holding_body", case__holding_body_id__in=list(seats))
        | Q(owed_by__in=[f"body:{key}" for key in sorted(set(seats.values()))])
        | Q(Exists(mine.filter(by_part)))
    )
