"""Turning rows into the API's answer shapes (no decisions here, only copying)."""

from __future__ import annotations

from typing import Any

from docket.access.selectors import Standing
from docket.cases.models import Case
from docket.ledger.models import LedgerEvent
from docket.org.models import Body

from .credentials import token_status
from .models import ApiToken


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "reference": case.reference,
        "category": case.category,
        "protocol": case.protocol.protocol_id,
        "protocol_version": case.protocol.version,
        "stage": case.stage,
        "closed": case.closed,
        "disposition": case.disposition,
        "outcome": case.outcome,
        "holding_body": case.holding_body.key if case.holding_body else None,
        "received_at": case.received_at,
        "opened_at": case.opened_at,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "last_event_at": case.last_event_at,
        "head_seq": case.head_seq,
        "violations": case.violations,
        "deviations": case.deviations,
    }


def standing_out(standing: Standing) -> dict[str, Any]:
    keys = sorted(Body.objects.filter(pk__in=standing.bodies).values_list("key", flat=True))
    return {
        "roles": sorted(standing.roles),
        "bodies": keys,
        "party": standing.party,
        "full_record": standing.full_record,
    }


def event_out(event: LedgerEvent) -> dict[str, Any]:
    # Payloads hold identifiers and references only; content is read from /content.
    return {
        "seq": event.seq,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "actor": event.actor,
        "capacity": event.capacity,
        "provenance": event.provenance,
        "payload": event.payload,
        "deviation": event.deviation,
        "hash": event.hash,
    }


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.public_id,
        "label": token.label,
        "prefix": token.prefix,
        "scopes": list(token.scopes),
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "last_used_at": token.last_used_at,
        "status": token_status(token),
    }
