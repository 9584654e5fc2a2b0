from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts come from invitations and administrators, never from open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count by: behind a trusted proxy, the client's
        from X-Forwarded-For, never the proxy's (issue 24, finding 5)."""
        from docket.web.client import client_ip

        return client_ip(request)
