"""Account services: invitations by link, disabling and enabling accounts, the
administration right.

Each is one typed, keyword-only function that checks, then changes, in one transaction;
refusals are ``DocketError`` subclasses with the stable codes below. Mail is sent only
after the transaction commits.

Invitations: ``invitation_create`` makes a 256-bit random token, stores only its
SHA-256 hash, and mails the link (after commit). ``invitation_accept`` takes the token
and a password, creates the account (its email address counts as verified: the link
reached it), links it to the Person and marks the invitation used, all at once. A
token that is wrong, expired, revoked or used gets one and the same refusal
(``invitation.invalid``), so the accept page tells nobody which accounts exist.

Who is an administrator is decided in ``docket.accounts.permissions``; granting and
revoking the right is here.

Disabling: ``account_disable`` sets ``is_active`` to False and moves the account's
session epoch in one transaction; ``ActiveAccountMiddleware`` ends every session of the
account at its next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from docket.accounts.models import AccountChange, Invitation, User
from docket.accounts.permissions import ADMIN_PERMISSION
from docket.accounts.sessions import end_all_sessions
from docket.core.clock import now
from docket.core.errors import InvalidInput, NotFound
from docket.org.models import Person
from docket.org.services import person_link_account

# --- stable error codes -------------------------------------------------------------------
INVITATION_INVALID = "invitation.invalid"
INVITATION_EMAIL_INVALID = "invitation.email_invalid"
INVITATION_EMAIL_HAS_ACCOUNT = "invitation.email_has_account"
INVITATION_PERSON_HAS_ACCOUNT = "invitation.person_has_account"
INVITATION_NOT_OPEN = "invitation.not_open"
INVITATION_VALIDITY = "invitation.validity"
PASSWORD_INVALID = "account.password_invalid"  # noqa: S105 — an error code
REASON_REQUIRED = "account.reason_required"
ACCOUNT_ALREADY_DISABLED = "account.already_disabled"
ACCOUNT_ALREADY_ENABLED = "account.already_enabled"
ACCOUNT_SELF = "account.self"
ACCOUNT_NOT_FOUND = "account.not_found"
ADMIN_ALREADY = "account.already_administrator"
ADMIN_NOT = "account.not_administrator"

DEFAULT_VALIDITY = timedelta(days=7)
MAX_VALIDITY = timedelta(days=30)
TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise InvalidInput("A reason is required.", code=REASON_REQUIRED, data={"field": "reason"})
    return cleaned


def _email(email: str) -> str:
    from django.core.validators import validate_email

    cleaned = (email or "").strip().lower()
    try:
        validate_email(cleaned)
    except ValidationError:
        raise InvalidInput(
            "Enter a valid email address.", code=INVITATION_EMAIL_INVALID, data={"field": "email"}
        ) from None
    return cleaned


def account_by_email(email: str) -> User:
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise NotFound("There is no account with that email address.", code=ACCOUNT_NOT_FOUND)
    return user


# --- invitations --------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # the only copy; it is mailed and never stored

    @property
    def path(self) -> str:
        return reverse("manage:invitation_open", kwargs={"token": self.token})

    @property
    def link(self) -> str:
        return f"{settings.DOCKET_SITE_URL}{self.path}"


def invitation_create(
    *,
    actor: str,
    capacity: str,
    person: Person,
    email: str,
    valid_for: timedelta = DEFAULT_VALIDITY,
    send: bool = True,
) -> IssuedInvitation:
    """Invite ``email`` to create an account for ``person``.

    Any earlier open invitation for the same person is revoked: one live link per
    person. With ``send`` the link is mailed after commit; the caller gets the token
    either way (the command line can print it when mail is not set up).
    """
    email = _email(email)
    if valid_for <= timedelta(0) or valid_for > MAX_VALIDITY:
        raise InvalidInput(
            "An invitation is valid for between one hour and 30 days.",
            code=INVITATION_VALIDITY,
            data={"field": "valid_for"},
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise InvalidInput(
                "This person already has an account.",
                code=INVITATION_PERSON_HAS_ACCOUNT,
                data={"field": "person"},
            )
        if User.objects.filter(email__iexact=email).exists():
            raise InvalidInput(
                "An account with this email address already exists.",
                code=INVITATION_EMAIL_HAS_ACCOUNT,
                data={"field": "email"},
            )
        stamp = now()
        Invitation.objects.filter(
            person=person, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=stamp, revoked_by=actor)
        invitation = Invitation.objects.create(
            person=person,
            email=email,
            token_hash=token_hash(token),
            created_by=actor,
            capacity=capacity,
            created_at=stamp,
            expires_at=stamp + valid_for,
        )
        issued = IssuedInvitation(invitation, token)
        if send:
            transaction.on_commit(partial(_send_invitation, issued))
        return issued


def _send_invitation(issued: IssuedInvitation) -> None:
    from docket.org.models import Organization

    org = Organization.objects.first()
    org_name = org.name if org else "Docket"
    expires = issued.invitation.expires_at
    subject = _("Your invitation to Docket")
    body = _(
        "%(org)s has invited you to sign in to Docket, the system it uses for its "
        "complaint procedures.\n\n"
        "Open this link to choose a password and set up a second sign-in step:\n\n"
        "%(link)s\n\n"
        "The link works once and expires on %(expires)s (UTC). If you were not "
        "expecting this message, you can ignore it."
    ) % {"org": org_name, "link": issued.link, "expires": f"{expires:%Y-%m-%d %H:%M}"}
    send_mail(subject, body, None, [issued.invitation.email])


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation with this token, or None (wrong, expired, used, revoked)."""
    if not token or len(token) > 200:
        return None
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token)).select_related("person").first()
    )
    if invitation is None or invitation.state_at(now()) != "open":
        return None
    return invitation


def _invalid() -> InvalidInput:
    return InvalidInput(
        "This invitation link cannot be used. Ask the person who invited you for a new one.",
        code=INVITATION_INVALID,
    )


def invitation_accept(*, token: str, password: str) -> User:
    """Create the invited account with ``password`` and link it to the person."""
    if invitation_for_token(token) is None:
        raise _invalid()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("person")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if invitation is None or invitation.state_at(now()) != "open":
            raise _invalid()
        person = invitation.person
        if (
            person.user_id is not None
            or User.objects.filter(email__iexact=invitation.email).exists()
        ):
            raise _invalid()
        # A pseudonymous label ("Complainant C") is not a name to greet someone with.
        user = User(
            email=invitation.email,
            display_name="" if person.pseudonymous else person.display_name,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(
                " ".join(exc.messages),
                code=PASSWORD_INVALID,
                data={"field": "password", "messages": list(exc.messages)},
            ) from None
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        person_link_account(
            actor=f"invitation:{invitation.public_id}",
            capacity="invitee",
            person=person,
            user=user,
            reason="Invitation accepted",
        )
        invitation.accepted_at = now()
        invitation.account = user
        invitation.save(update_fields=["accepted_at", "account"])
        return user


def invitation_revoke(*, actor: str, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state_at(now()) != "open":
            raise InvalidInput("This invitation is no longer open.", code=INVITATION_NOT_OPEN)
        invitation.revoked_at = now()
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        return invitation


# --- disabling and enabling ---------------------------------------------------------------


def account_disable(*, actor: str, account: User, reason: str, by: User | None = None) -> User:
    """Disable the account; every one of its sessions ends at once."""
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=account.pk)
        if by is not None and by.pk == user.pk:
            raise InvalidInput(
                "You cannot disable your own account.", code=ACCOUNT_SELF, data={"field": "account"}
            )
        if not user.is_active:
            raise InvalidInput("This account is already disabled.", code=ACCOUNT_ALREADY_DISABLED)
        User.objects.filter(pk=user.pk).update(is_active=False)
        end_all_sessions(user.pk)
        AccountChange.objects.create(
            account=user,
            action=AccountChange.Action.DISABLED,
            reason=reason,
            recorded_by=actor,
            recorded_at=now(),
        )
        user.refresh_from_db()
        return user


def account_enable(*, actor: str, account: User, reason: str) -> User:
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=account.pk)
        if user.is_active:
            raise InvalidInput("This account is already enabled.", code=ACCOUNT_ALREADY_ENABLED)
        user.is_active = True
        user.save(update_fields=["is_active"])
        AccountChange.objects.create(
            account=user,
            action=AccountChange.Action.ENABLED,
            reason=reason,
            recorded_by=actor,
            recorded_at=now(),
        )
        return user


def _admin_permission() -> Permission:
    app_label, codename = ADMIN_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def administrator_grant(*, actor: str, account: User, reason: str) -> User:
    """Give the account the administration right (organization, not cases)."""
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=account.pk)
        permission = _admin_permission()
        held = (
            user.is_superuser
            or user.user_permissions.filter(pk=permission.pk).exists()
            or user.groups.filter(permissions=permission).exists()  # the same right, by group
        )
        if held:
            raise InvalidInput("This account is already an administrator.", code=ADMIN_ALREADY)
        user.user_permissions.add(permission)
        AccountChange.objects.create(
            account=user,
            action=AccountChange.Action.ADMIN_GRANTED,
            reason=reason,
            recorded_by=actor,
            recorded_at=now(),
        )
        return User.objects.get(pk=user.pk)  # fresh: no cached permissions


def administrator_revoke(*, actor: str, account: User, reason: str) -> User:
    """Take the administration right away; the account's sessions end so the next
    request is checked again."""
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=account.pk)
        permission = _admin_permission()
        if not user.user_permissions.filter(pk=permission.pk).exists():
            raise InvalidInput("This account is not an administrator.", code=ADMIN_NOT)
        user.user_permissions.remove(permission)
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        AccountChange.objects.create(
            account=user,
            action=AccountChange.Action.ADMIN_REVOKED,
            reason=reason,
            recorded_by=actor,
            recorded_at=now(),
        )
        return User.objects.get(pk=user.pk)
