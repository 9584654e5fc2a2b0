"""Demo step: the administrator's account, and the one way every demo account is made.

Each account has a verified email address, the demo password and a TOTP authenticator
with the published demo secret, so it can sign in at once and read confidential content
after its second factor (the demo keeps that rule rather than waiving it). The password
and the secret are the same for every account, printed by ``docket demo``, and exist only
in the demo. The League's people get their accounts in ``docket.demo.people``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.password_validation import validate_password

from docket.accounts.models import User

if TYPE_CHECKING:
    from docket.demo import Demo

DEMO_PASSWORD = "league-demo-only"  # noqa: S105 — fictional accounts, refused in production
DEMO_DOMAIN = "league.example"
# Published with the demo, like its password; refused in production with the whole demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
ADMIN_NAME = "Demo Administrator"


def ensure_account(email: str, name: str, *, administrator: bool = False) -> User:
    """Create the account, or bring an existing one back to its demo state."""
    user, _ = User.objects.get_or_create(email=email)
    user.display_name = name
    user.is_active = True
    user.is_staff = administrator
    user.is_superuser = administrator
    validate_password(DEMO_PASSWORD, user)
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def load(demo: Demo) -> None:
    demo.users["admin"] = ensure_account(ADMIN_EMAIL, ADMIN_NAME, administrator=True)
