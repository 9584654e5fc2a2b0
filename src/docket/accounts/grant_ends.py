"""Sessions end when an explicit grant to a case runs out.

An explicit grant (``access_grant``: ``CaseRole`` "grantee" with ``until``) ends by
itself at ``until``; no event marks that moment. The rule follows the one for seat terms
(``org.services.seat_terms_expire``) and for a revoked grant (``access_revoke``): when
any grant of a person runs out, every session of their account that began before the
end ends, whatever other part the person has. Signing in again gives a session checked
afresh against what they may see now.

Two halves, so that "at once" does not wait for the worker:

- ``grant_ended_during`` is asked by ``ActiveAccountMiddleware`` on every signed-in
  request (one indexed query): a grant of the account's person whose end lies after
  the session began and not after now ends the session there and then.
- ``grants_expire`` is the worker's sweep: it handles each ended grant once (a
  ``GrantEnd`` row) and removes the session rows the middleware would refuse, so none
  lingers for a device that never comes back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from docket.accounts.models import GrantEnd
from docket.accounts.sessions import end_sessions_begun_before
from docket.cases.models import CaseRole
from docket.core.clock import now

GRANTEE = CaseRole.Role.GRANTEE


def grant_ended_during(user_id: int, began: datetime | None, at: datetime) -> bool:
    """Whether a grant of the account's person ran out in ``(began, at]`` (in
    ``(-inf, at]`` when the session does not say when it began)."""
    ended = CaseRole.objects.filter(
        person__user_id=user_id, role=GRANTEE, until__isnull=False, until__lte=at
    )
    if began is not None:
        ended = ended.filter(until__gt=began)
    return ended.exists()


def grants_expire() -> int:
    """Handle every grant that has run out and was not handled yet: record it and remove
    the sessions of the grantee's account that began before its end. Returns how many
    grants were handled; running it again (or on two workers at once) handles none twice.
    """
    stamp = now()
    handled = GrantEnd.objects.filter(
        person_id=OuterRef("person_id"), case_id=OuterRef("case_id"), until=OuterRef("until")
    )
    count = 0
    with transaction.atomic():
        due = (
            CaseRole.objects.filter(role=GRANTEE, until__isnull=False, until__lte=stamp)
            .exclude(Exists(handled))
            .select_related("person")
            .order_by("until", "id")
        )
        for grant in due:
            assert grant.until is not None
            # The unique constraint decides between two workers: the loser gets the
            # winner's row (created False) and leaves the grant alone.
            end, created = GrantEnd.objects.get_or_create(
                person_id=grant.person_id,
                case_id=grant.case_id,
                until=grant.until,
                defaults={"account_id": grant.person.user_id, "handled_at": stamp},
            )
            if not created:
                continue
            if end.account_id is not None:
                end.sessions_ended = end_sessions_begun_before(end.account_id, grant.until)
                end.save(update_fields=["sessions_ended"])
            count += 1
    return count
