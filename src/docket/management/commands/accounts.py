"""``docket accounts``: invitations, disabling and enabling accounts, administrators.

    docket accounts invite EMAIL --person PUBLIC_ID [--days 7] [--dry-run]
    docket accounts disable EMAIL --reason TEXT [--dry-run]
    docket accounts enable EMAIL --reason TEXT [--dry-run]
    docket accounts admin EMAIL --reason TEXT [--revoke] [--dry-run]
    docket accounts list

Thin: parsing and printing only; the rules live in ``docket.accounts.services``. The
invitation link is printed (the operator of the server may hand it over when mail is
not set up) and mailed unless ``--no-mail``.
"""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from datetime import timedelta
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.console import Console
from rich.table import Table

from docket.accounts.models import User
from docket.accounts.permissions import is_administrator
from docket.accounts.services import (
    account_by_email,
    account_disable,
    account_enable,
    administrator_grant,
    administrator_revoke,
    invitation_create,
)
from docket.core.errors import DocketError
from docket.org.models import Person


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = "Invite people by link, disable or enable accounts, name administrators, list."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        invite = sub.add_parser("invite", help="Invite EMAIL to create an account for a person.")
        invite.add_argument("email")
        invite.add_argument("--person", required=True, help="The person's public id.")
        invite.add_argument("--days", type=int, default=7, help="Days the link works (1-30).")
        invite.add_argument("--no-mail", action="store_true", help="Print the link only.")
        for name, text in (
            ("disable", "Disable an account; its sessions end at once."),
            ("enable", "Enable a disabled account."),
            ("admin", "Make an account an administrator (or --revoke)."),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("email")
            p.add_argument("--reason", required=True, help="Why, for the record.")
            if name == "admin":
                p.add_argument("--revoke", action="store_true")
        for p in sub.choices.values():  # the commands that change data; "list" comes after
            p.add_argument("--dry-run", action="store_true", help="Check; change nothing.")
            p.add_argument(
                "--actor", default="", help="Who acts, for the record (default cli:<login>)."
            )
        sub.add_parser("list", help="List accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        action = options["action"]
        if action == "list":
            self._list(console)
            return
        actor = options["actor"] or f"cli:{getpass.getuser()}"
        try:
            with transaction.atomic():
                message = self._change(action, actor, options)
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            console.print(f"Dry run, nothing changed. Would have: {message}", markup=False)
            return
        except DocketError as exc:
            raise CommandError(exc.message) from exc
        console.print(message, markup=False)

    def _change(self, action: str, actor: str, options: dict[str, Any]) -> str:
        if action == "invite":
            person = Person.objects.filter(public_id=options["person"]).first()
            if person is None:
                raise CommandError(f"There is no person {options['person']!r}.")
            days = options["days"]
            if not 1 <= days <= 30:
                raise CommandError("--days must be between 1 and 30.")
            issued = invitation_create(
                actor=actor,
                capacity="administrator",
                person=person,
                email=options["email"],
                valid_for=timedelta(days=days),
                send=not options["no_mail"] and not options["dry_run"],
            )
            return (
                f"invited {issued.invitation.email} for {person.display_name} "
                f"until {issued.invitation.expires_at:%Y-%m-%d %H:%M} UTC.\n"
                + ("" if options["dry_run"] else f"Link (works once): {issued.link}")
            )
        user = account_by_email(options["email"])
        reason = options["reason"]
        if action == "disable":
            account_disable(actor=actor, account=user, reason=reason)
            return f"disabled {user.email}; its sessions end at their next request."
        if action == "enable":
            account_enable(actor=actor, account=user, reason=reason)
            return f"enabled {user.email}."
        if options["revoke"]:
            administrator_revoke(actor=actor, account=user, reason=reason)
            return f"{user.email} is no longer an administrator."
        administrator_grant(actor=actor, account=user, reason=reason)
        return f"{user.email} is now an administrator."

    def _list(self, console: Console) -> None:
        people = {p.user_id: p for p in Person.objects.filter(user__isnull=False)}
        table = Table("Email", "Person", "Active", "Administrator", "Last sign-in")
        users = list(User.objects.order_by("email").prefetch_related("user_permissions"))
        for user in users:
            person = people.get(user.pk)
            table.add_row(
                user.email,
                f"{person.display_name} ({person.public_id})" if person else "",
                "yes" if user.is_active else "no",
                "yes" if is_administrator(user) else "",
                f"{user.last_login:%Y-%m-%d %H:%M}" if user.last_login else "",
            )
        console.print(table)
        console.print(f"{len(users)} account(s).", markup=False)
