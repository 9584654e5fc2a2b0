"""Demo step: the League, its protocols, the reference case run live, and a sign-in
account for each of its people who has a part in it.

Each account has a verified email address, the demo password (printed by ``docket
demo``) and an enrolled TOTP authenticator with one published demo secret (also
printed): confidential content is only shown after a second factor, and the demo keeps
that rule rather than waiving it. Add the secret to any authenticator app, or compute a
code with ``oathtool --totp -b <secret>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from docket.accounts.models import User
from docket.cases.models import Case
from docket.cases.protocols import protocol_adopt_file, shipped_protocols
from docket.crypto.keyfiles import kek_ids
from docket.org.models import Organization
from docket.org.services import person_link_account

from .accounts import DEMO_DOMAIN, DEMO_PASSWORD

if TYPE_CHECKING:
    from docket.demo import Demo
    from docket.demo.league import League

# Published with the demo, like its password; refused in production with the whole demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

ROLES: tuple[tuple[str, str], ...] = (
    ("B1", "intake officer, Harbor branch executive"),
    ("N1", "chair, National Disciplinary Committee (2013)"),
    ("N2", "member, National Disciplinary Committee (2013)"),
    ("N3", "member, National Disciplinary Committee (2013)"),
    ("R", "respondent"),
    ("A", "respondent's advocate"),
    ("C", "complainant (not a member)"),
    ("CA", "complainant's advocate"),
    ("X1", "chair, Appeals Committee (2013)"),
    ("S5", "chair, Steering Committee (2019): reviews the case"),
    ("BC1", "Bay City branch officer: sees nothing of the case"),
)


def _league() -> League:
    from .league import build_league, league_from_db

    return league_from_db() if Organization.objects.exists() else build_league()


def _account(key: str, name: str) -> User:
    email = f"league-{key.lower()}@{DEMO_DOMAIN}"
    user, _ = User.objects.get_or_create(email=email)
    user.display_name = name
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def load(demo: Demo) -> None:
    league = _league()
    for path in shipped_protocols():
        protocol_adopt_file(path, actor="docket-demo")
    if not kek_ids():
        demo.note("No key-encryption key yet: run `docket keys init`, then `docket demo` again")
        demo.note("to add the reference case 2013-004.")
    elif not Case.objects.filter(reference="2013-004").exists():
        from .reference_live import run_reference_case

        demo.objects["reference_case"] = run_reference_case(league).case
    demo.note("")
    demo.note("The reference case 2013-004, as the League's people see it today:")
    demo.note(f"  password {DEMO_PASSWORD}; TOTP secret {DEMO_TOTP_SECRET} (same for all)")
    for key, role in ROLES:
        person = league.people.get(key)
        if person is None:
            continue
        user = _account(key, person.display_name)
        if person.user_id is None:
            person_link_account(
                actor="docket-demo",
                capacity="administrator",
                person=person,
                user=user,
                reason="Demo account",
            )
        demo.users[f"league_{key.lower()}"] = user
        demo.note(f"  {user.email:<32} {person.display_name} ({role})")
