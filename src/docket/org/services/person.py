"""People who take part in cases, members or not."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Person
from docket.org.selectors import organization
from docket.org.services._common import record, recorded_at, require_reason, require_text


def person_create(
    *,
    actor: str,
    capacity: str,
    display_name: str,
    pseudonymous: bool = False,
    user: AbstractBaseUser | None = None,
    occurred_at: datetime | None = None,
) -> Person:
    """Record a person.

    For a non-member complainant or witness pass ``pseudonymous=True`` and a label
    such as "Complainant C" as ``display_name``: the label is all that is stored in
    plain text (here and in the ledger); the case layer keeps the real identity
    encrypted and sets ``identity_ref``.
    """
    display_name = require_text(display_name, field="display_name")
    with transaction.atomic():
        org = organization()
        if user is not None and Person.objects.filter(user_id=user.pk).exists():
            raise InvalidInput(
                "That account already belongs to another person.",
                code=codes.PERSON_ACCOUNT_TAKEN,
                data={"field": "user"},
            )
        person = Person(
            organization=org,
            display_name=display_name,
            pseudonymous=pseudonymous,
            user_id=user.pk if user is not None else None,
            created_at=recorded_at(),
        )
        person.event_seq = record(
            stream="org",
            type="person.created",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "display_name": display_name,
                "pseudonymous": pseudonymous,
            },
            occurred_at=occurred_at,
        )
        person.save()
        return person


def person_rename(
    *, actor: str, capacity: str, person: Person, display_name: str, reason: str
) -> Person:
    display_name = require_text(display_name, field="display_name")
    reason = require_reason(reason)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        record(
            stream="org",
            type="person.renamed",
            actor=actor,
            capacity=capacity,
            payload={"person": person.public_id, "display_name": display_name, "reason": reason},
            occurred_at=None,
        )
        person.display_name = display_name
        person.save(update_fields=["display_name"])
        return person


def person_link_account(
    *, actor: str, capacity: str, person: Person, user: AbstractBaseUser, reason: str
) -> Person:
    """Give a person a sign-in account (an invitation accepted, an officer's login)."""
    reason = require_reason(reason)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise InvalidInput(
                "This person already has an account.",
                code=codes.PERSON_ALREADY_LINKED,
                data={"field": "person"},
            )
        if Person.objects.filter(user_id=user.pk).exists():
            raise InvalidInput(
                "That account already belongs to another person.",
                code=codes.PERSON_ACCOUNT_TAKEN,
                data={"field": "user"},
            )
        record(
            stream="org",
            type="person.account_linked",
            actor=actor,
            capacity=capacity,
            payload={"person": person.public_id, "reason": reason},
            occurred_at=None,
        )
        person.user_id = user.pk
        person.save(update_fields=["user"])
        return person


def person_identity_recorded(
    *, actor: str, capacity: str, person: Person, identity_ref: str, reason: str
) -> Person:
    """Point a pseudonymous person at their encrypted identity (kept by the case layer).

    Only the reference is stored and recorded; the identity itself never is, here.
    """
    identity_ref = require_text(identity_ref, field="identity_ref")
    reason = require_reason(reason)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if not person.pseudonymous:
            raise InvalidInput(
                "Only a pseudonymous person has an encrypted identity.",
                code=codes.PERSON_NOT_PSEUDONYMOUS,
                data={"field": "person"},
            )
        record(
            stream="org",
            type="person.identity_recorded",
            actor=actor,
            capacity=capacity,
            payload={"person": person.public_id, "identity_ref": identity_ref, "reason": reason},
            occurred_at=None,
        )
        person.identity_ref = identity_ref
        person.save(update_fields=["identity_ref"])
        return person
