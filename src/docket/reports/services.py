"""Services of the reports area: each export of a case's record is on the record."""

from __future__ import annotations

from django.db import transaction

from docket.cases.acting import open_for_action, perform
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

FORMATS = ("pdf", "bundle", "interchange")


def record_export(*, by: Person, case: str, for_body: str, format: str) -> LedgerEvent:
    """Record that ``by`` exported the case file for ``for_body`` (``record.exported``),
    through the event before this one. Refused like any step the protocol does not allow
    ``by`` to take; NotFound for a case ``by`` may not see."""
    if format not in FORMATS:
        raise InvalidInput(
            f"format must be one of {', '.join(FORMATS)}.",
            code="export.bad_format",
            data={"field": "format"},
        )
    with transaction.atomic():
        ctx = open_for_action(by, case)
        if for_body not in ctx.protocol.bodies:
            raise InvalidInput(
                "The protocol has no such body.",
                code="export.unknown_body",
                data={"field": "for_body", "body": for_body},
            )
        return perform(
            ctx,
            person=by,
            action="export_record",
            payload={"for_body": for_body, "through_seq": ctx.head, "format": format},
        )
