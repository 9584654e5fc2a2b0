"""Personal API tokens: shown once, stored as a hash, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from docket.api.models import ApiToken
from docket.core import clock
from docket.core.clock import frozen_at

from .conftest import Api

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"^dkt_[A-Za-z0-9_-]{43}$", re.M)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("tokens", *args, stdout=out)
    return out.getvalue()


def test_the_token_is_shown_once_and_only_its_hash_is_kept(make_user):
    user = make_user("ada@example.org")
    out = run("create", "ada@example.org", "--scope", "cases:read", "--expires", "30")
    secret = SECRET.search(out).group(0)
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    row = {f.name: str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields}
    assert not any(secret in value for value in row.values())
    assert token.prefix == secret[:12]
    assert token.scopes == ["cases:read"]
    assert timedelta(days=29, hours=23) < token.expires_at - clock.now() <= timedelta(days=30)
    listing = run("list")
    assert token.public_id in listing
    assert secret not in listing
    assert "cases:read" in listing
    assert "never" in listing


def test_a_token_authenticates_its_user_and_records_its_last_use(make_user, token_for):
    user = make_user("bo@example.org")
    secret = token_for(user, "cases:read")
    answer = Api(secret).get("/me")
    assert answer.status_code == 200
    assert answer.json()["email"] == "bo@example.org"
    assert answer.json()["token"]["scopes"] == ["cases:read"]
    assert ApiToken.objects.get(user=user).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer dkt_x",
        "Token abc",
        "Basic Ym86cGFzcw==",
        "Bearer " + "dkt_" + "A" * 43,
    ],
)
def test_missing_malformed_or_unknown_tokens_get_401(header, client):
    headers = {"Authorization": header} if header else {}
    answer = client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.required"
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_an_api_credential(make_user, client):
    # No session authentication at all: so no cross-site request can use the API.
    user = make_user()
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/complaints", {}, content_type="application/json").status_code == 401


def test_an_expired_token_is_refused(make_user, token_for):
    user = make_user()
    secret = token_for(user, "cases:read", days=1)
    assert Api(secret).get("/me").status_code == 200
    with frozen_at(clock.now() + timedelta(days=1, seconds=1)):
        assert Api(secret).get("/me").status_code == 401


def test_a_revoked_token_is_refused_at_once(make_user, token_for):
    user = make_user("cy@example.org")
    secret = token_for(user, "cases:read")
    token = ApiToken.objects.get(user=user)
    assert Api(secret).get("/me").status_code == 200
    assert f"Token {token.public_id} revoked" in run("revoke", token.public_id)
    assert Api(secret).get("/me").status_code == 401
    assert "revoked" in run("list", "--email", "cy@example.org")


def test_a_user_revokes_their_own_token_through_the_api_but_not_anothers(make_user, token_for):
    me, other = make_user(), make_user()
    mine, theirs = token_for(me, "cases:read"), token_for(other, "cases:read")
    their_id = ApiToken.objects.get(user=other).public_id
    assert Api(mine).post(f"/tokens/{their_id}/revoke").status_code == 404
    assert Api(theirs).get("/me").status_code == 200
    my_id = ApiToken.objects.get(user=me).public_id
    answer = Api(mine).post(f"/tokens/{my_id}/revoke")
    assert answer.status_code == 200
    assert answer.json()["status"] == "revoked"
    assert Api(mine).get("/me").status_code == 401


def test_a_disabled_account_s_tokens_stop_working(make_user, token_for):
    user = make_user()
    secret = token_for(user, "cases:read")
    user.is_active = False
    user.save()
    assert Api(secret).get("/me").status_code == 401


def test_a_token_without_the_scope_is_refused_with_403(league, api_as):
    api = api_as(league.person("S5"), "members:read")
    answer = api.get("/cases")
    assert answer.status_code == 403
    assert answer.json() == {
        "code": "token.scope_missing",
        "message": "This token does not have the cases:read scope.",
        "data": {"scope": "cases:read"},
    }
    reader = api_as(league.person("S1"), "cases:read")
    refused = reader.post("/cases/AAAAAAAAAAAAAAAA/actions/note-add", {"text": "x"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "token.scope_missing"


def test_case_endpoints_need_a_second_factor(league, api_as):
    api = api_as(league.person("S5"), "cases:read", mfa=False)
    answer = api.get("/cases")
    assert answer.status_code == 403
    assert answer.json()["code"] == "mfa.required"


def test_the_api_does_not_honour_the_demo_waiver(league, api_as, settings):
    settings.DOCKET_DEMO_MFA_WAIVED = True
    api = api_as(league.person("S5"), "cases:read", mfa=False)
    answer = api.get("/cases")
    assert answer.status_code == 403
    assert answer.json()["code"] == "mfa.required"
    assert api.get("/me").json()["mfa"] is False


def test_administrator_endpoints_need_an_administrator(league, api_as):
    api = api_as(league.person("S5"), "members:read", "bodies:read")
    assert api.get("/members").json()["code"] == "access.administrators_only"
    assert api.get("/bodies").status_code == 403


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "cases:read", "--expires", "0"], "from 1 to 366 days"),
        (["--scope", "cases:read", "--expires", "400"], "from 1 to 366 days"),
    ],
)
def test_the_command_refuses_bad_tokens(make_user, args, message):
    make_user("dee@example.org")
    with pytest.raises(CommandError, match=message):
        run("create", "dee@example.org", *args)
    with pytest.raises(CommandError, match="No active account"):
        run("create", "nobody@example.org", "--scope", "cases:read", "--expires", "3")
    assert ApiToken.objects.count() == 0
