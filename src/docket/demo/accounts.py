"""Demo step: sign-in accounts for the League's fictional officers.

Each account has a verified email address, so it can sign in at once. The password is
the same for all of them, printed by ``docket demo``, and exists only in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password

from docket.accounts.models import User

if TYPE_CHECKING:
    from docket.demo import Demo

DEMO_PASSWORD = "league-demo-only"  # noqa: S105 — fictional accounts, refused in production
DEMO_DOMAIN = "league.example"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    name: str
    role: str
    staff: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", f"admin@{DEMO_DOMAIN}", "Demo Administrator", "runs Docket for the League", True
    ),
    DemoAccount(
        "intake", f"casey.northcott@{DEMO_DOMAIN}", "Casey Northcott", "Harbor branch executive"
    ),
    DemoAccount(
        "ndc_chair",
        f"morgan.ellis@{DEMO_DOMAIN}",
        "Morgan Ellis",
        "chair, National Disciplinary Committee",
    ),
    DemoAccount(
        "sc_secretary", f"priya.raman@{DEMO_DOMAIN}", "Priya Raman", "secretary, Steering Committee"
    ),
    DemoAccount("ac_chair", f"jordan.lee@{DEMO_DOMAIN}", "Jordan Lee", "chair, Appeals Committee"),
)


def ensure_account(account: DemoAccount) -> User:
    """Create the account, or bring an existing one back to its demo state."""
    user, _ = User.objects.get_or_create(email=account.email)
    user.display_name = account.name
    user.is_active = True
    user.is_staff = account.staff
    user.is_superuser = account.staff
    validate_password(DEMO_PASSWORD, user)
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    return user


def load(demo: Demo) -> None:
    demo.note(f"Password for every demo account: {DEMO_PASSWORD}")
    for account in ACCOUNTS:
        demo.users[account.key] = ensure_account(account)
        demo.note(f"  {account.email:<32} {account.name} ({account.role})")
