"""Acceptance (issue 5): the authorization matrix.

Every URL pattern Django's resolver knows (walked recursively: allauth, the ninja API
under /api/v1/, /manage/, intake, notices, reports, the web pages), every HTTP method,
against every role a person can have in the reference case — or not have. For each
role that may not see the case, no response may reveal it:

- no case reference, public id, content item id or confidential text in the body;
- for URLs scoped to a case, the request for the real case and the same request for a
  nonexistent case answer alike: the same status, the same redirect, the same body
  (once the ids, CSRF tokens and nonces are set aside); never a 2xx;
- a redirect never leads to case content.

``RULES`` maps each URL name to its access rule. A URL the resolver yields that is not
in the table fails ``test_every_url_has_a_rule``: whoever adds a URL adds its rule here
(docs/access.md, "The matrix test"). Positive controls (people who may see the case do
see it; administrators do reach /manage/) keep the matrix from passing for the wrong
reason (everyone refused because sign-in or MFA failed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from docket.core.clock import frozen_at
from docket.demo.reference_live import STATEMENTS

from .conftest import EXPECTED, PINNED, World, build_world

pytestmark = pytest.mark.django_db

# --- the rules ----------------------------------------------------------------------------

PUBLIC = "public"  # anyone; shows no case
ACCOUNT = "account"  # sign-in, sign-up, password and MFA pages (allauth); show no case
SIGNED_IN = "signed-in"  # the person's own lists: only cases they may see
CASE = "case"  # scoped by a case's public id: 404 for those who may not see it
ADMIN = "admin-only"  # organization administration; never case content
TOKEN = "token"  # API: a bearer token, never a session; per-token scopes
TOKEN_CASE = "token+case"  # API, scoped by a case's public id
TOKEN_ADMIN = "token+admin"  # API, administrator scopes
INTAKE = "intake"  # intake officers' queue and reports (a report is not a case)
REPORTER = "reporter"  # a reporter following up with their receipt (no account)
INVITEE = "invitee"  # someone with an invitation link (no account yet)

ALLAUTH = [
    "account_login", "account_logout", "account_inactive", "account_signup",
    "account_reauthenticate", "account_email", "account_email_verification_sent",
    "account_change_password", "account_set_password", "account_reset_password",
    "account_confirm_login_code", "account_confirm_email",
    "account_reset_password_from_key_done", "account_reset_password_from_key",
    "account_reset_password_done", "mfa_index", "mfa_authenticate", "mfa_reauthenticate",
    "mfa_activate_totp", "mfa_deactivate_totp", "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes", "mfa_download_recovery_codes", "mfa_list_webauthn",
    "mfa_add_webauthn", "mfa_reauthenticate_webauthn", "mfa_remove_webauthn",
    "mfa_edit_webauthn", "mfa_login_webauthn",
    # allauth 65.22: re-authentication by a code sent by email
    "account_request_reauthentication_code", "account_confirm_reauthentication_code",
]  # fmt: skip
API_ACTIONS = [
    "complaint_acknowledge", "jurisdiction_assess", "case_open", "case_refer",
    "reinvestigation_order", "record_hand_over", "panel_name", "conflict_declare",
    "investigator_appoint", "advocate_name", "participation_choose", "measure_impose",
    "measure_challenge", "measure_review", "measure_lift", "support_offer",
    "informal_propose", "informal_consent", "informal_consent_withdraw", "informal_agree",
    "charges_serve", "statement_record", "statement_correct", "statement_withdraw",
    "evidence_record", "report_prepare", "material_disclose", "response_receive",
    "parallel_proceeding_note", "note_add", "correspondence_receive", "hearing_schedule",
    "hearing_hold", "hearing_adjourn", "hearing_waive", "vote_open", "vote_cast",
    "vote_close", "decision_issue", "decision_ratify", "decision_overrule",
    "sanction_apply", "appeal_file", "appeal_decide", "objection_file",
    "objection_answer", "mistrial_declare", "proceeding_annul", "case_close",
    "case_reopen", "review_conclude", "case_link", "access_grant", "access_revoke",
    "deviation_grant",
    "identity_record",
]  # fmt: skip

RULES: dict[str, str] = {
    **dict.fromkeys(ALLAUTH, ACCOUNT),
    # api (ninja, /api/v1/)
    "api:api-root": PUBLIC,
    "api:docs-asset": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:cases_list": TOKEN,
    "api:cases_detail": TOKEN_CASE,
    "api:cases_record": TOKEN_CASE,
    "api:cases_content": TOKEN_CASE,
    "api:cases_content_download": TOKEN_CASE,
    "api:cases_permitted": TOKEN_CASE,
    **{f"api:{name}": TOKEN_CASE for name in API_ACTIONS},
    "api:complaint_receive": TOKEN,
    "api:members_list": TOKEN_ADMIN,
    "api:members_admit": TOKEN_ADMIN,
    "api:members_detail": TOKEN_ADMIN,
    "api:members_transfer": TOKEN_ADMIN,
    "api:members_standing_change": TOKEN_ADMIN,
    "api:bodies_list": TOKEN_ADMIN,
    "api:bodies_detail": TOKEN_ADMIN,
    "api:bodies_term_begin": TOKEN_ADMIN,
    "api:bodies_term_end": TOKEN_ADMIN,
    "api:me": TOKEN,
    "api:tokens_list": TOKEN,
    "api:tokens_revoke": TOKEN,
    # /manage/
    **{
        f"manage:{name}": ADMIN
        for name in (
            "index",
            "organization",
            "units",
            "members",
            "member_admit",
            "member_import",
            "member",
            "member_transfer",
            "member_standing",
            "office_begin",
            "office_end",
            "people",
            "person_invite",
            "account_disable",
            "account_enable",
            "invitations",
            "invitation_revoke",
            "bodies",
            "body",
            "seat_create",
            "term_begin",
            "term_end",
            "protocols",
            "protocol_check",
            "protocol_adopt",
            "protocol",
        )
    },
    "manage:invitation_accept": INVITEE,
    "manage:invitation_open": INVITEE,
    # /notices/
    "notify:list": SIGNED_IN,
    "notify:preferences": SIGNED_IN,
    # intake
    "intake:report": PUBLIC,
    "intake:received": PUBLIC,  # the receipt page: the code once, to whoever just filed
    "intake:follow": REPORTER,
    "intake:reporter_report": REPORTER,
    "intake:reporter_message": REPORTER,
    "intake:reporter_material": REPORTER,
    "intake:reporter_formal": REPORTER,
    "intake:reporter_leave": REPORTER,
    "intake:queue": INTAKE,
    "intake:notices": INTAKE,
    "intake:officer_report": INTAKE,
    "intake:acknowledge": INTAKE,
    "intake:message": INTAKE,
    "intake:decline": INTAKE,
    "intake:convert": INTAKE,
    "intake:material": INTAKE,
    # /reports/
    "reports:overview": SIGNED_IN,  # compliance of the cases the person may see
    "reports:case_compliance": CASE,
    "reports:case_compliance_pdf": CASE,
    "reports:transparency": SIGNED_IN,  # anonymized numbers for the membership
    "reports:transparency_pdf": SIGNED_IN,
    "reports:transparency_csv": SIGNED_IN,
    # web
    "web:dashboard": SIGNED_IN,
    "web:healthz": PUBLIC,
    # the organization's public key and latest checkpoint (docs/verify.md)
    "ledger:key": PUBLIC,
    "ledger:checkpoint": PUBLIC,
    "web:mfa_needed": SIGNED_IN,
    "web:new_case": SIGNED_IN,
    "web:case": CASE,
    "web:votes": CASE,
    "web:act": CASE,
    "web:documents": CASE,
    "web:download": CASE,
    "web:identity": CASE,
    "web:verify": CASE,
    "web:receipt": CASE,
    "web:journal": CASE,
    "web:bodies": SIGNED_IN,
    "web:body": SIGNED_IN,
}

# URL parameters whose meaning differs from the default for that name.
PARAM_OVERRIDES: dict[str, dict[str, str]] = {
    "web:body": {"public_id": "body"},
}
# Holes found by this test and reported, tolerated by the matrix ONLY for these (role, URL)
# pairs so that it keeps guarding everything else; each has a strict xfail test below that
# starts passing (and so fails) once the hole is closed — then delete the entry.
KNOWN_HOLES: dict[tuple[str, str], str] = {}
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
CASE_RULES = (CASE, TOKEN_CASE)


# --- walking the resolver -----------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    name: str
    route: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def _params(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
) -> Iterator[Url]:
    """Every URL pattern, depth first, with its full name (namespaces joined by ':')."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        own = tuple(_params(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns, params + own)
        else:
            name = ":".join((*namespace, entry.name)) if entry.name else ""
            yield Url(name or f"<unnamed {prefix}{entry.pattern}>", prefix + str(entry.pattern),
                      params + own)  # fmt: skip


def unknown_urls(urls: list[Url]) -> list[Url]:
    return [u for u in urls if u.name not in RULES]


def test_every_url_has_a_rule() -> None:
    urls = list(walk())
    missing = unknown_urls(urls)
    assert not missing, (
        "URLs without an access rule in tests/access/test_matrix.py RULES "
        "(add one; see docs/access.md): " + ", ".join(f"{u.name} ({u.route})" for u in missing)
    )
    # The table and the URLs agree about which are scoped to a case.
    for url in urls:
        kinds = {param_kind(url, p) for p in url.params}
        assert ("case" in kinds) == (RULES[url.name] in CASE_RULES), (url.name, kinds)
    # The resolver really was walked into every area.
    names = {u.name for u in urls}
    for area in ("account_login", "api:cases_list", "manage:index", "web:case", "intake:report"):
        assert area in names


@pytest.mark.urls("tests.access.urls_extra")
def test_a_url_without_a_rule_fails() -> None:
    """A URL someone adds without a rule is caught (tests/access/urls_extra.py adds one)."""
    missing = unknown_urls(list(walk()))
    assert [u.name for u in missing] == ["web:new_page_nobody_ruled_on"]


# --- the world and its requests ------------------------------------------------------------

NONEXISTENT = "ZZZZZZZZZZZZZZZZ"  # a well-formed public id no case has


@dataclass
class Setting:
    world: World
    values: dict[str, str]  # parameter kind -> value for the real case
    markers: list[str]  # text that reveals the case
    tokens: dict[str, str]  # role -> bearer token

    def url_for(self, url: Url, case_id: str) -> str:
        kwargs = {}
        for param in url.params:
            kind = param_kind(url, param)
            kwargs[param] = case_id if kind == "case" else self.values[kind]
        return reverse(url.name, kwargs=kwargs) if kwargs else reverse(url.name)


def param_kind(url: Url, param: str) -> str:
    override = PARAM_OVERRIDES.get(url.name, {}).get(param)
    if override:
        return override
    if param in ("public_id", "case_id"):
        return "case"
    if param in ("item", "item_id"):
        return "item"
    if param in ("person", "person_id"):
        return "person"
    if param in ("body", "body_id"):
        return "body"
    if param in ("term", "term_id"):
        return "term"
    if param == "version":
        return "version"
    if param in ("pk", "uidb36"):
        return "pk"
    return "word"


def setting_for(world: World) -> Setting:
    from docket.api.credentials import SCOPES, token_create
    from docket.crypto.models import ContentItem

    case = world.case
    items = list(ContentItem.objects.filter(stream=case.stream).values_list("public_id", flat=True))
    assert items, "the reference case has sealed content"
    values = {
        "item": items[0],
        "person": world.league.person("C").public_id,
        "body": world.league.bodies["sc"].public_id,
        "term": world.person("oversight").seat_terms.get().public_id,
        "version": "1",
        "pk": "1",
        "word": "vote_open",
    }
    markers = [
        case.reference,
        case.public_id,
        *items,
        *STATEMENTS.values(),
        "Dana Ortiz",  # C's identity, sealed
        "C says R assaulted her",  # the allegation
        "C's account, given to the Harbor branch executive",
    ]
    tokens = {}
    for role, user in world.accounts.items():
        if user is not None:
            issued = token_create(email=user.email, scopes=list(SCOPES), days=30, actor="test")
            tokens[role] = issued.secret
    return Setting(world, values, markers, tokens)


@pytest.fixture
def setting(league: Any) -> Iterator[Setting]:
    with frozen_at(PINNED):
        world = build_world(league)
        yield setting_for(world)


def client_for(setting: Setting, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = setting.world.accounts[role]
    if user is not None:
        client.force_login(user)
    return client


def ask(client: Client, method: str, path: str, *, api: bool, bearer: str | None) -> Any:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    send = getattr(client, method)
    if method in ("post", "put", "patch"):
        if api:
            return send(path, data="{}", content_type="application/json", headers=headers)
        return send(path, data={}, headers=headers)
    return send(path, headers=headers)


_NOISE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'nonce="[^"]*"'),
    re.compile(rb'"csrfToken": ?"[^"]*"'),
]


def normalized(response: Any, ids: list[str]) -> tuple[int, str, bytes]:
    body = response.content if not getattr(response, "streaming", False) else b"<stream>"
    location = response.get("Location", "")
    for value in ids:
        body = body.replace(value.encode(), b"<ID>")
        location = location.replace(value, "<ID>")
    for noise in _NOISE:
        body = noise.sub(b"", body)
    return response.status_code, location, body


def reveals(setting: Setting, response: Any) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace") + " " + response.get("Location", "")
    # The request's own path is echoed in login redirects ("?next=/cases/<id>/"): that
    # is the asker's own input, not the system's answer.
    return [m for m in setting.markers if m in _without_next(text)]


def _without_next(text: str) -> str:
    return re.sub(r"next=[^\"'&\s]*", "next=", text)


def matrix_failures(setting: Setting, role: str) -> tuple[list[str], list[str]]:
    """Every response to ``role`` that reveals the case, and (separately) server errors."""
    failures: list[str] = []
    errors: list[str] = []
    client = client_for(setting, role)
    bearer = setting.tokens.get(role)
    case_id = setting.world.case.public_id
    for url in walk():
        rule = RULES[url.name]
        scoped = rule in CASE_RULES
        real = setting.url_for(url, case_id)
        fake = setting.url_for(url, NONEXISTENT) if scoped else None
        for method in METHODS:
            variants = [bearer] if url.is_api else [None]
            if url.is_api and bearer:
                variants.append(None)  # the session alone: the API must not honour it
            for token in variants:
                _relogin(client, setting, role)
                got = ask(client, method, real, api=url.is_api, bearer=token)
                where = f"{role} {method.upper()} {real} [{url.name}, {rule}]"
                session_only = token is None and bearer and url.is_api and rule != PUBLIC
                if session_only and got.status_code not in (401, 403, 405):
                    failures.append(f"{where}: session accepted by the API ({got.status_code})")
                if got.status_code >= 500:
                    errors.append(f"{where}: {got.status_code}")
                found = reveals(setting, got)
                if found and (role, url.name) not in KNOWN_HOLES:
                    failures.append(f"{where}: body shows {found}")
                location = got.get("Location", "")
                if 300 <= got.status_code < 400 and case_id in _without_next(location):
                    failures.append(f"{where}: redirects to case content {location}")
                if not scoped:
                    continue
                if 200 <= got.status_code < 300:
                    failures.append(f"{where}: {got.status_code} for a case they may not see")
                _relogin(client, setting, role)
                other = ask(client, method, fake or "", api=url.is_api, bearer=token)
                ids = [case_id, NONEXISTENT]
                a, b = normalized(got, ids), normalized(other, ids)
                if a[:2] != b[:2]:
                    failures.append(
                        f"{where}: {a[0]} {a[1]!r} but {b[0]} {b[1]!r} for a nonexistent case"
                    )
                elif a[2] != b[2]:
                    failures.append(f"{where}: body differs from a nonexistent case's")
    return failures, errors


def _relogin(client: Client, setting: Setting, role: str) -> None:
    """Some URLs (sign out, password change) end the session: sign in again."""
    user = setting.world.accounts[role]
    if user is not None and "_auth_user_id" not in client.session:
        client.force_login(user)


HIDDEN = [role for role, may in EXPECTED.items() if not may]
SEEING = [role for role, may in EXPECTED.items() if may]


@pytest.mark.parametrize("role", HIDDEN)
def test_no_response_reveals_the_case(setting: Setting, role: str) -> None:
    """Every URL x method, for a role that may not see the case (one test per role, so
    that parallel runs share the work)."""
    report, errors = matrix_failures(setting, role)
    if errors:
        import warnings

        warnings.warn(
            f"{len(errors)} server errors (not reveals): " + "; ".join(errors[:30]),
            stacklevel=1,
        )
    assert not report, f"{len(report)} revealing responses:\n" + "\n".join(report[:80])


# --- positive controls --------------------------------------------------------------------


def test_those_who_may_see_the_case_do(setting: Setting) -> None:
    ref = setting.world.case.reference
    case_id = setting.world.case.public_id
    for role in SEEING:
        client = client_for(setting, role)
        page = client.get(reverse("web:case", kwargs={"public_id": case_id}))
        assert page.status_code == 200, (role, page.status_code)
        assert ref.encode() in page.content, role
        api = client.get(
            reverse("api:cases_detail", kwargs={"case_id": case_id}),
            headers={"Authorization": f"Bearer {setting.tokens[role]}"},
        )
        assert api.status_code == 200, (role, api.status_code, api.content[:300])
        assert case_id.encode() in api.content, role


def test_lists_and_searches_show_the_case_exactly_to_those_who_may_see_it(
    setting: Setting,
) -> None:
    case_id = setting.world.case.public_id
    for role, may in EXPECTED.items():
        client = client_for(setting, role)
        if role != "anonymous":
            dashboard = client.get(reverse("web:dashboard"))
            assert dashboard.status_code == 200, role
            assert (case_id.encode() in dashboard.content) == may, role
        bearer = setting.tokens.get(role)
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        for query in ("", "?reference=2013", "?reference=2013-004&closed=false"):
            listed = client.get(reverse("api:cases_list") + query, headers=headers)
            if bearer is None:
                assert listed.status_code == 401, role
                continue
            assert listed.status_code == 200, (role, listed.content[:300])
            data = listed.json()
            assert (case_id in [c["id"] for c in data["items"]]) == may, (role, data)
            assert data["meta"]["count"] == (1 if may else 0), (role, data)


def test_administrators_reach_the_administration_and_others_do_not(setting: Setting) -> None:
    admin = client_for(setting, "administrator")
    for name in ("manage:index", "manage:members", "manage:people", "manage:bodies"):
        page = admin.get(reverse(name))
        assert page.status_code == 200, (name, page.status_code)
        assert not reveals(setting, page), name
    member = setting.world.league.person("R").public_id
    page = admin.get(reverse("manage:member", kwargs={"person": member}))
    assert page.status_code == 200
    for role in ("member", "oversight", "respondent"):
        other = client_for(setting, role).get(reverse("manage:index"))
        assert other.status_code in (302, 403, 404), (role, other.status_code)


def test_the_respondents_member_page_does_not_show_the_case_to_administrators(
    setting: Setting,
) -> None:
    admin = client_for(setting, "administrator")
    member = setting.world.league.person("R").public_id
    page = admin.get(reverse("manage:member", kwargs={"person": member}))
    assert page.status_code == 200
    assert not reveals(setting, page), "the respondent's member page shows the case"


def test_the_matrix_detects_a_person_who_sees_the_case(setting: Setting) -> None:
    """Control: run for someone who may see the case, the matrix reports the case pages
    (so for those who may not, its silence means something)."""
    failures, _ = matrix_failures(setting, "grantee")
    joined = "\n".join(failures)
    for name in ("web:case", "web:documents", "api:cases_detail", "api:cases_record"):
        assert f"[{name}," in joined, name
