"""``docket tokens create EMAIL --scope S [--scope S…] --expires DAYS [--label TEXT]``,
``docket tokens revoke ID`` and ``docket tokens list [--email EMAIL]``.

Thin: parsing and printing only; the rules live in ``docket.api.credentials``. The token
is printed once, when it is made; only its SHA-256 digest is kept.
"""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from docket.api.credentials import (
    SCOPES,
    token_create,
    token_revoke,
    token_status,
    tokens_of,
)
from docket.core.errors import DocketError


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


class Command(BaseCommand):
    help = "Make, revoke and list personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("create", help="Make a token for an account; shown once.")
        make.add_argument("email")
        make.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=sorted(SCOPES),
            help="What the token may do (repeat for several).",
        )
        make.add_argument("--expires", type=int, required=True, help="Days until it expires.")
        make.add_argument("--label", default="", help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("id")
        listing = sub.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--email", help="Only this account's tokens.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DocketError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, options: dict[str, Any]) -> None:
        issued = token_create(
            email=options["email"],
            scopes=options["scope"],
            days=options["expires"],
            label=options["label"],
            actor=_actor(),
        )
        t = issued.token
        self.stdout.write(f"Token {t.public_id} for {t.user.email}")
        self.stdout.write(f"Scopes:  {' '.join(t.scopes)}")
        self.stdout.write(f"Expires: {t.expires_at:%Y-%m-%d %H:%M %Z}")
        self.stdout.write("")
        self.stdout.write(issued.secret)
        self.stdout.write("")
        self.stdout.write("This is the only time the token is shown. Keep it like a password.")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = token_revoke(token_id=options["id"], actor=_actor())
        self.stdout.write(f"Token {token.public_id} revoked ({token.user.email}).")

    def _list(self, options: dict[str, Any]) -> None:
        user = None
        if options.get("email"):
            user = get_user_model().objects.filter(email__iexact=options["email"]).first()
            if user is None:
                raise CommandError("No account has that email address.")
        rows = list(tokens_of(user))
        if not rows:
            self.stdout.write("No tokens.")
            return
        for t in rows:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.public_id}  {t.prefix}…  {token_status(t):<7}  {t.user.email}  "
                f"{' '.join(t.scopes)}  expires {t.expires_at:%Y-%m-%d}  last used {used}"
                + (f"  ({t.label})" if t.label else "")
            )
