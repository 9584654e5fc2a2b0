"""The address Docket's links name (notices, invitations, the demo's printout).

DOCKET_SITE_URL decides when it is set. When it is not, ``docket serve --bind`` sets it
from the address it listens on, so a server on another port or host still sends links
that work; ``docket demo --bind`` prints the same address.
"""

from __future__ import annotations

import os
import socket


def site_url(bind: str) -> str | None:
    """The address people reach a server bound to ``bind`` (host:port) at, or None for a
    Unix socket or an inherited descriptor (a proxy in front decides the address). A
    wildcard host is served on every address, so links name this machine instead."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 — reading the bind address, not binding
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def adopt_bind(bind: str) -> str | None:
    """Set DOCKET_SITE_URL from ``bind`` for this process and the ones it starts, unless
    it is already set; return the address ``bind`` is reached at."""
    bound = site_url(bind)
    if bound and not os.environ.get("DOCKET_SITE_URL"):
        os.environ["DOCKET_SITE_URL"] = bound
    return bound
