"""Acceptance (issue 5): when access ends, the next request is refused and the sessions
are gone.

Each test signs a person in with a real Django test client (two clients: two devices),
shows that they see the reference case (so a refusal later means something), ends their
access the way Docket does — a term ends, a recusal, a grant revoked or run out, the
account disabled — and then asks again: the case is refused (404 while signed in, the
sign-in page once signed out) and, where the sessions must end, the session rows are
deleted and the client is anonymous.

Cases are asked for through the real case page (``web:case``) and through a probe view
(tests/access/urls.py) that does only what every case page must do; the probe keeps
these tests meaningful whatever state the pages are in.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import NoReverseMatch, reverse

from docket.accounts.grant_ends import grants_expire
from docket.accounts.services import account_disable
from docket.cases import services as s
from docket.core.clock import frozen_at
from docket.org.services import seat_term_end

from .conftest import ACTOR, CAP, PINNED, TEST_PASSWORD, World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.access.urls")]


@pytest.fixture
def world(league: Any) -> World:
    return build_world(league)


@pytest.fixture
def clock() -> Iterator[None]:
    with frozen_at(PINNED):
        yield


def case_urls(world: World) -> list[str]:
    ref = world.case.public_id
    urls = [reverse("access-probe", kwargs={"public_id": ref})]
    if page_ready(world):
        urls.append(reverse("web:case", kwargs={"public_id": ref}))
    return urls


_READY: dict[int, bool] = {}


def page_ready(world: World) -> bool:
    """Whether the real case page answers a person who may see the case (it is being
    built alongside these tests; until it works, the probe alone is asked)."""
    if id(world) not in _READY:
        try:
            url = reverse("web:case", kwargs={"public_id": world.case.public_id})
        except NoReverseMatch:
            _READY[id(world)] = False
        else:
            client = Client(raise_request_exception=False)
            client.force_login(world.account("complainant"))
            ready = client.get(url).status_code == 200
            if not ready:
                warnings.warn("the case page (web:case) does not work yet", stacklevel=2)
            _READY[id(world)] = ready
    return _READY[id(world)]


def signed_in(world: World, role: str, devices: int = 2) -> list[Client]:
    user = world.account(role)
    clients = []
    for _ in range(devices):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def sees(client: Client, world: World) -> None:
    for url in case_urls(world):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert world.case.reference.encode() in response.content, url


def refused(client: Client, world: World) -> None:
    for url in case_urls(world):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), url
        assert world.case.reference.encode() not in response.content, url
        assert world.case.public_id.encode() not in response.content.replace(url.encode(), b""), url


def session_gone(client: Client, key: str | None) -> None:
    client.get("/healthz")  # any request: the middleware ends an outdated session
    assert SESSION_KEY not in client.session
    assert not Session.objects.filter(session_key=key).exists()


def session_alive(client: Client, key: str | None) -> bool:
    return Session.objects.filter(session_key=key).exists() and SESSION_KEY in client.session


def check_refused_and_gone(world: World, clients: list[Client]) -> None:
    keys = [c.session.session_key for c in clients]
    for client in clients:
        refused(client, world)
    for client, key in zip(clients, keys, strict=True):
        session_gone(client, key)


def test_sessions_are_real_and_survive_unrelated_requests(world: World, clock: None) -> None:
    """Control: without a revocation, a signed-in person keeps seeing the case."""
    clients = signed_in(world, "oversight")
    keys = [c.session.session_key for c in clients]
    for client in clients:
        sees(client, world)
        sees(client, world)
    for client, key in zip(clients, keys, strict=True):
        assert session_alive(client, key)


def test_term_end_refuses_the_next_request_and_ends_the_sessions(world: World, clock: None) -> None:
    clients = signed_in(world, "oversight")
    for client in clients:
        sees(client, world)
    term = world.person("oversight").seat_terms.get()
    with frozen_at(PINNED + timedelta(minutes=1)):
        seat_term_end(actor=ACTOR, capacity=CAP, term=term, reason="Recalled by the convention.")
        check_refused_and_gone(world, clients)


def test_panel_member_term_end(world: World, clock: None) -> None:
    """The SC's panel does not survive its members' terms (league-v1: no
    panel_survives_term for the SC)."""
    clients = signed_in(world, "panel")
    for client in clients:
        sees(client, world)
    term = world.person("panel").seat_terms.get()
    with frozen_at(PINNED + timedelta(minutes=1)):
        seat_term_end(actor=ACTOR, capacity=CAP, term=term, reason="Resigned from the SC.")
        check_refused_and_gone(world, clients)


def test_term_running_out_refuses_the_next_request_and_the_sweep_ends_sessions(
    world: World, clock: None
) -> None:
    """A fixed term that simply runs out: refused from its end on with no event needed;
    the expiry sweep (``seat_terms_expire``, run by the worker) then ends the sessions."""
    from datetime import date

    from docket.org.services import seat_terms_expire

    from .conftest import account_for, new_member, new_term

    with frozen_at(PINNED - timedelta(days=1)):
        seat_terms_expire()  # the League's old terms, closed before this test starts
    person = new_member(world.league, "Cy Fixedterm", "L-9030")
    new_term(world.league, person, "sc", date(2019, 1, 12), ends=date(2019, 4, 9))
    world.accounts["fixed"] = account_for(person)
    clients = signed_in(world, "fixed")
    keys = [c.session.session_key for c in clients]
    for client in clients:
        sees(client, world)
    term = person.seat_terms.get()
    assert term.ends_at is not None
    with frozen_at(term.ends_at):
        for client in clients:
            refused(client, world)
        assert seat_terms_expire() == 1
        for client, key in zip(clients, keys, strict=True):
            session_gone(client, key)


def test_recusal_refuses_the_next_request(world: World, clock: None) -> None:
    clients = signed_in(world, "panel")
    for client in clients:
        sees(client, world)
    with frozen_at(PINNED + timedelta(minutes=1)):
        s.conflict_declare(
            by=world.person("panel"),
            case=world.case.public_id,
            reasons="I have learned that I am related to a witness.",
        )
        for client in clients:
            refused(client, world)


def test_recusal_ends_the_sessions(world: World, clock: None) -> None:
    clients = signed_in(world, "panel")
    keys = [c.session.session_key for c in clients]
    with frozen_at(PINNED + timedelta(minutes=1)):
        s.conflict_declare(
            by=world.person("panel"),
            case=world.case.public_id,
            reasons="I have learned that I am related to a witness.",
        )
        for client, key in zip(clients, keys, strict=True):
            session_gone(client, key)


def test_recusal_declared_for_a_member_by_the_body(world: World, clock: None) -> None:
    """The holding body recuses one of its panel members: the same refusal."""
    clients = signed_in(world, "panel")
    for client in clients:
        sees(client, world)
    with frozen_at(PINNED + timedelta(minutes=1)):
        s.conflict_declare(
            by=world.person("oversight"),
            case=world.case.public_id,
            person=world.person("panel"),
            reasons="The panel member worked with the respondent.",
        )
        for client in clients:
            refused(client, world)


def test_grant_revoked_refuses_the_next_request_and_ends_the_sessions(
    world: World, clock: None
) -> None:
    clients = signed_in(world, "grantee")
    for client in clients:
        sees(client, world)
    with frozen_at(PINNED + timedelta(minutes=1)):
        s.access_revoke(
            by=world.person("oversight"),
            case=world.case.public_id,
            person=world.person("grantee"),
        )
        check_refused_and_gone(world, clients)


def test_grant_expiry_refuses_the_next_request(world: World, clock: None) -> None:
    clients = signed_in(world, "grantee")
    for client in clients:
        sees(client, world)
    with frozen_at(PINNED + timedelta(days=30, seconds=1)):
        for client in clients:
            refused(client, world)


GRANT_ENDS = PINNED + timedelta(days=30)  # the grantee's grant (tests/access/conftest.py)


def test_grant_expiry_ends_the_sessions(world: World, clock: None) -> None:
    """No sweep needed: the first request after the end ends the session there."""
    clients = signed_in(world, "grantee")
    keys = [c.session.session_key for c in clients]
    with frozen_at(GRANT_ENDS + timedelta(seconds=1)):
        for client, key in zip(clients, keys, strict=True):
            session_gone(client, key)


def test_grant_ending_mid_session_ends_it_at_the_next_request(world: World, clock: None) -> None:
    """Signed in before the end, seeing the case up to its last moment; from the end on
    (half-open: a grant that ends at T gives nothing at T) the session is over."""
    clients = signed_in(world, "grantee")
    keys = [c.session.session_key for c in clients]
    with frozen_at(GRANT_ENDS - timedelta(seconds=1)):
        for client in clients:
            sees(client, world)
    with frozen_at(GRANT_ENDS):
        check_refused_and_gone(world, clients)
    for key in keys:
        assert not Session.objects.filter(session_key=key).exists()


def test_grant_not_ended_leaves_the_session_alone(world: World, clock: None) -> None:
    clients = signed_in(world, "grantee")
    keys = [c.session.session_key for c in clients]
    with frozen_at(GRANT_ENDS - timedelta(seconds=1)):
        grants_expire()  # handles the lapsed grant of someone else
        assert grants_expire() == 0
        for client in clients:
            sees(client, world)
        for client, key in zip(clients, keys, strict=True):
            assert session_alive(client, key)


def test_grant_ended_before_sign_in_does_not_end_the_session(world: World, clock: None) -> None:
    """A grant that ran out before the session began takes nothing from it: the person
    signs in and stays signed in (they just do not see that case)."""
    clients = signed_in(world, "grant_expired")
    keys = [c.session.session_key for c in clients]
    assert grants_expire() == 1  # the lapsed grant is handled; these sessions are newer
    for client, key in zip(clients, keys, strict=True):
        refused(client, world)
        assert session_alive(client, key)


def test_grant_ending_ends_the_session_whatever_else_the_person_has(
    world: World, clock: None
) -> None:
    """The rule (as for seat terms and revoked grants): any grant running out ends the
    sessions begun before its end, even for someone who keeps a part in the case. They
    sign in again and see the case through that part."""
    with frozen_at(PINNED - timedelta(minutes=1)):
        s.access_grant(
            by=world.person("oversight"),
            case=world.case.public_id,
            person=world.person("witness"),
            until=PINNED + timedelta(days=2),
            reason="To read the exhibits once more.",
        )
    clients = signed_in(world, "witness")
    keys = [c.session.session_key for c in clients]
    with frozen_at(PINNED + timedelta(days=2)):
        for client, key in zip(clients, keys, strict=True):
            session_gone(client, key)
        again = signed_in(world, "witness", devices=1)[0]
        sees(again, world)
        assert grants_expire() == 2  # this grant and the lapsed one of someone else
        assert session_alive(again, again.session.session_key)
        sees(again, world)


def test_sweep_ends_sessions_that_never_come_back_and_is_idempotent(
    world: World, clock: None
) -> None:
    from docket.accounts.models import GrantEnd

    with frozen_at(PINNED - timedelta(seconds=1)):
        assert grants_expire() == 1  # the lapsed grant from before the test
    clients = signed_in(world, "grantee")
    keys = [c.session.session_key for c in clients]
    bystander = signed_in(world, "oversight", devices=1)[0]
    with frozen_at(GRANT_ENDS - timedelta(seconds=1)):
        assert grants_expire() == 0
    with frozen_at(GRANT_ENDS):
        assert grants_expire() == 1
        for key in keys:
            assert not Session.objects.filter(session_key=key).exists()
        end = GrantEnd.objects.get(person=world.person("grantee"))
        assert (end.until, end.sessions_ended, end.account) == (
            GRANT_ENDS,
            2,
            world.account("grantee"),
        )
        # Again, and later: nothing is handled twice, a new session is left alone.
        fresh = signed_in(world, "grantee", devices=1)[0]
        assert grants_expire() == 0
    with frozen_at(GRANT_ENDS + timedelta(days=1)):
        assert grants_expire() == 0
        assert session_alive(fresh, fresh.session.session_key)
        refused(fresh, world)
        assert session_alive(bystander, bystander.session.session_key)
        sees(bystander, world)
    assert GrantEnd.objects.count() == 2


def test_sweep_is_a_worker_job() -> None:
    from docket.notify.schedule import JOBS, task_of

    (job,) = [j for j in JOBS if j.task.endswith("grants_expire_task")]
    assert task_of(job) is not None


@pytest.mark.parametrize("role", ["respondent", "oversight", "panel", "administrator"])
def test_disabled_account_refuses_the_next_request(world: World, clock: None, role: str) -> None:
    clients = signed_in(world, role)
    if role != "administrator":
        for client in clients:
            sees(client, world)
    user = world.account(role)
    assert user is not None
    account_disable(actor=ACTOR, account=user, reason="Left the organization.")
    for client in clients:
        refused(client, world)
        assert client.get("/healthz").wsgi_request.user.is_anonymous
    # Signing in again is refused too: the account is inactive.
    assert not Client().login(email=user.email, password=TEST_PASSWORD)


def test_disabled_account_ends_the_sessions(world: World, clock: None) -> None:
    clients = signed_in(world, "respondent")
    keys = [c.session.session_key for c in clients]
    user = world.account("respondent")
    assert user is not None
    account_disable(actor=ACTOR, account=user, reason="Left the organization.")
    for client, key in zip(clients, keys, strict=True):
        session_gone(client, key)


def test_session_epoch_bump_alone_ends_the_sessions(world: World, clock: None) -> None:
    """Any service that moves the epoch (access revoked elsewhere, administrator right
    taken away) ends every session of the account at its next request."""
    from django.db.models import F

    from docket.accounts.models import User

    clients = signed_in(world, "witness")
    for client in clients:
        sees(client, world)
    user = world.account("witness")
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    keys = [c.session.session_key for c in clients]
    for client, key in zip(clients, keys, strict=True):
        session_gone(client, key)
