"""Issue 24, finding 5: behind the reverse proxy every client had the proxy's address,
so one person's wrong receipt codes locked every anonymous reporter out (429), and one
person's wrong passwords every member. The client's address now comes from
X-Forwarded-For, read from the right, only when the request comes from a proxy named in
``DOCKET_TRUSTED_PROXIES``; anyone else's X-Forwarded-For is ignored."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from docket.core.clientaddr import client_address, parse_network

PROXY = "10.0.0.2"  # the reverse proxy, as Docket sees it
ALICE, BOB = "203.0.113.10", "198.51.100.20"


def trusted(*entries: str):
    return tuple(parse_network(e) for e in entries)


@pytest.mark.parametrize(
    ("remote", "xff", "proxies", "client"),
    [
        # No trusted proxy configured: X-Forwarded-For is never read.
        (PROXY, ALICE, (), PROXY),
        # From the trusted proxy: the address it appended.
        (PROXY, ALICE, ("10.0.0.0/8",), ALICE),
        # A forged entry on the left is skipped: right-most untrusted wins.
        (PROXY, f"6.6.6.6, {ALICE}", ("10.0.0.2",), ALICE),
        # Two proxies (CDN then nginx): skip every trusted hop from the right.
        (PROXY, f"6.6.6.6, {ALICE}, 10.0.0.9", ("10.0.0.0/24",), ALICE),
        # A client that is not a proxy cannot choose its address by sending the header.
        (BOB, "6.6.6.6", ("10.0.0.0/8",), BOB),
        # Garbage where the proxy would have written: stay with the proxy's word.
        (PROXY, f"{ALICE}, not-an-address", ("10.0.0.2",), PROXY),
        # Ports and IPv6 forms that proxies write.
        (PROXY, "[2001:db8::7]:443", ("10.0.0.2",), "2001:db8::7"),
        (PROXY, f"{ALICE}:51000", ("10.0.0.2",), ALICE),
        ("::ffff:10.0.0.2", ALICE, ("10.0.0.2",), ALICE),
        # Every hop trusted: the left-most of them.
        (PROXY, "10.0.0.5", ("10.0.0.0/8",), "10.0.0.5"),
    ],
)
def test_client_address(remote, xff, proxies, client):
    assert client_address(remote, xff, trusted(*proxies)) == client


@pytest.mark.django_db
def test_a_bad_trusted_proxies_setting_is_a_system_check_error(settings):
    settings.DOCKET_TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example.org"]
    with pytest.raises(SystemCheckError, match=r"docket\.E001"):
        call_command("check")


# --- the attacks, through the pages -------------------------------------------------------


@pytest.mark.django_db
def test_one_reporter_guessing_codes_does_not_lock_out_the_others(client, officers, settings):
    settings.DOCKET_TRUSTED_PROXIES = [PROXY]
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (3, 900)}
    url = reverse("intake:follow")

    def guess(xff: str):
        return client.post(
            url, {"code": "WRONG-WRONG"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff
        )

    assert [guess(ALICE).status_code for _ in range(3)] == [400, 400, 400]
    assert guess(ALICE).status_code == 429  # Alice is limited...
    assert guess(BOB).status_code == 400  # ...Bob, behind the same proxy, is not.
    # Alice cannot escape her limit by forging the header: the proxy appends her address.
    assert guess(f"192.0.2.99, {ALICE}").status_code == 429


@pytest.mark.django_db
def test_headers_from_an_untrusted_client_are_ignored(client, officers, settings):
    settings.DOCKET_TRUSTED_PROXIES = [PROXY]
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (2, 900)}
    url = reverse("intake:follow")
    codes = [
        client.post(
            url, {"code": "WRONG"}, REMOTE_ADDR=BOB, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"
        ).status_code
        for i in range(4)
    ]
    assert codes == [400, 400, 429, 429]


@pytest.mark.django_db
def test_one_persons_wrong_passwords_do_not_lock_out_the_others(client, make_user, settings):
    settings.DOCKET_TRUSTED_PROXIES = [PROXY]
    for i in range(6):
        make_user(f"member{i}@example.org")
    url = reverse("account_login")

    def attempt(xff: str, email: str, password: str = "not-the-password"):  # noqa: S107
        return client.post(
            url,
            {"login": email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=xff,
        )

    # Five failures from Alice (five accounts, so the per-account limit is not what stops).
    for i in range(5):
        assert "Too many failed" not in attempt(ALICE, f"member{i}@example.org").content.decode()
    assert "Too many failed" in attempt(ALICE, "member5@example.org").content.decode()
    # Bob, behind the same proxy, signs in.
    response = attempt(BOB, "member5@example.org", "correct-horse-battery-staple")
    assert "Too many failed" not in response.content.decode()
    assert response.status_code == 302
