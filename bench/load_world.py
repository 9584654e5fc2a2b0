"""Shared by the load benchmark and the case-page benchmarks: real cases made through the
services (the fictional League of ``docket.demo.league``), and sign-in accounts.

Everything here is bench data: fictional people, for benchmarks only.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — the demo's published one

_PROSE = (
    "the panel asked the witness whether she had seen the respondent at the branch meeting "
    "that evening and she said that she arrived late after work and spoke to several members "
    "in the kitchen before the complainant left in a hurry without her coat"
)
WORDS = _PROSE.split(" ")


def statement_text(rng: random.Random) -> str:
    """A plausible statement of ~2-4 KiB (a few paragraphs)."""
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paragraphs)


def account(person: Any, email: str) -> Any:
    """A verified sign-in account linked to ``person``, with a TOTP authenticator."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from docket.accounts.models import User
    from docket.org.services import person_link_account

    user = User.objects.create_user(email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    TOTP.activate(user, TOTP_SECRET)
    person_link_account(
        actor="bench", capacity="administrator", person=person, user=user, reason="bench"
    )
    return user


def session_cookie(user: Any) -> str:
    """A real, server-side Django session for ``user`` (what signing in stores)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from docket.accounts.middleware import SESSION_EPOCH_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SESSION_EPOCH_KEY] = user.session_epoch  # what Docket's sign-in adds
    store.set_expiry(60 * 60 * 24)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def investigated_case(
    league: Any,
    start: datetime,
    *,
    reference: str,
    statements: int = 3,
    respondent: str = "M1",
    complainant: str = "M2",
    rng: random.Random | None = None,
) -> Any:
    """A case received, referred, opened by the NDC, with a panel, charges served,
    ``statements`` witness statements recorded and disclosed to the respondent."""
    from docket.cases import services as s
    from docket.cases.acting import load as load_case
    from docket.cases.models import Case
    from docket.core.clock import frozen_at

    rng = rng or random.Random(reference)
    p = league.person
    with frozen_at(start):
        case = s.complaint_receive(
            by=p("BC1"),
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="misuse of funds",
            channel="written",
            reporter_role="affected",
            complainants=[p(complainant)],
            respondents=[p(respondent)],
            unit=league.units["bay-city"],
            allegations=[s.AllegationInput("A1", "Code of Conduct s.3", "Branch funds misused.")],
            account="Branch funds paid for a private trip (fictional).",
        )
        ref = case.public_id
        s.case_refer(by=p("BC1"), case=ref, to_body="ndc")
    with frozen_at(start + timedelta(days=1)):
        s.complaint_acknowledge(by=p("N6"), case=ref, note="Received by the NDC.")
        s.case_open(by=p("N6"), case=ref, body="ndc", reference=reference)
        s.panel_name(
            by=p("N6"), case=ref, body="ndc", members=[p("N6"), p("N7"), p("N8")], chair=p("N6")
        )
        s.charges_serve(
            by=p("N6"),
            case=ref,
            respondent=p(respondent),
            allegations=["A1"],
            notice="It is alleged that branch funds paid for a private trip.",
        )
    for n in range(statements):
        with frozen_at(start + timedelta(days=2, minutes=n)):
            s.statement_record(
                by=p("N7"),
                case=ref,
                author=p("M3"),
                role="witness",
                label=f"W{n + 1}",
                text=statement_text(rng),
            )
    if statements:
        with frozen_at(start + timedelta(days=3)):
            items = [
                m.id
                for m in load_case(
                    Case.objects.get(public_id=ref), lock=False
                ).evaluation.state.material.values()
                if m.kind == "witness_statement"
            ]
            s.material_disclose(by=p("N6"), case=ref, to="respondent", items=items)
    return Case.objects.get(public_id=ref)
