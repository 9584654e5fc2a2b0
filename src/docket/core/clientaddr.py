"""The client's address behind reverse proxies (pure).

A request that comes straight from a client has the client's address in
``REMOTE_ADDR``. Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's, and the proxy
appends the address it saw to ``X-Forwarded-For``. Anyone can send that header, so it
is read only when ``REMOTE_ADDR`` is one of the trusted proxies
(``DOCKET_TRUSTED_PROXIES``: addresses or networks), and then from the right: each
trusted hop is skipped and the first address that is not a trusted proxy is the
client. Addresses further left were written by the client and are never used.
Issue 24, finding 5.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_network(text: str) -> Network:
    """``10.0.0.1`` or ``10.0.0.0/8`` or ``::1``; ``ValueError`` otherwise."""
    return ipaddress.ip_network(text.strip(), strict=False)


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The valid entries (the system check ``docket.E001`` reports the invalid ones)."""
    found = []
    for entry in entries:
        try:
            found.append(parse_network(entry))
        except ValueError:
            continue
    return tuple(found)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51000"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(remote: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The client's address: ``remote`` unless it is a trusted proxy, else the right-most
    address of ``forwarded_for`` that is not a trusted proxy."""
    current = _address(remote)
    if current is None:
        return remote or "unknown"
    if not trusted or not forwarded_for or not _trusted(current, trusted):
        return str(current)
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            # Garbage where a proxy would have written an address: the client wrote it.
            # Stay with the last hop a trusted proxy vouched for.
            break
        current = address
        if not _trusted(address, trusted):
            break
    return str(current)
