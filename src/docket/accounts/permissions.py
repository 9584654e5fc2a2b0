"""Who administers the organization: the one rule the pages, the API and the commands use.

An administrator is an active, signed-in account with the
``accounts.administer_organization`` permission, given to the account or to one of its
groups (active superusers have every permission). Django's ``is_staff`` flag grants
nothing in Docket. Administering gives no access to any case: that is decided only by
``docket.access.selectors``.

Administrators must also have enrolled a second factor before they act, as
``docket.accounts.second_factor`` decides; each interface enforces that in its own way
(the pages send them to set one up, the API answers ``mfa.required``). See
docs/administration.md.
"""

from __future__ import annotations

ADMIN_PERMISSION = "accounts.administer_organization"


def is_administrator(user: object) -> bool:
    """True when ``user`` may administer the organization (not whether they may act yet:
    the second factor is checked where they act)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm(ADMIN_PERMISSION)  # type: ignore[attr-defined]
    )
