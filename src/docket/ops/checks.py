"""System checks of Docket's own settings (``docket check``; ``docket check --deploy``).

Settings are read once from the environment (``docket.settings``) and never validated
at import time; what is wrong with them is reported here, with stable ids:

- ``docket.E001``: an entry of ``DOCKET_TRUSTED_PROXIES`` is not an address or network.
- ``docket.E002``: ``DOCKET_CACHE_URL`` names no cache Docket can use (unknown scheme,
  or Redis without the ``redis`` package).
- ``docket.E003``: ``DOCKET_MAX_REQUEST_BYTES`` is smaller than one upload may be.
- ``docket.W001`` (deploy): the cache is per-process memory, so rate limits and TOTP
  replay protection do not hold across workers.
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from docket.core.clientaddr import parse_network

CACHE_SCHEMES = {"db", "redis", "rediss", "unix", "locmem"}


@register(Tags.security)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    for entry in getattr(settings, "DOCKET_TRUSTED_PROXIES", ()) or ():
        try:
            parse_network(entry)
        except ValueError:
            found.append(
                Error(
                    f"DOCKET_TRUSTED_PROXIES: {entry!r} is not an IP address or network.",
                    hint="Give addresses or CIDR networks, comma-separated: 127.0.0.1,10.0.0.0/8.",
                    id="docket.E001",
                )
            )
    return found


@register(Tags.caches)
def check_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    url = str(getattr(settings, "DOCKET_CACHE_URL", "db://") or "db://")
    scheme = urlparse(url).scheme
    if scheme not in CACHE_SCHEMES:
        return [
            Error(
                f"DOCKET_CACHE_URL: {scheme or url!r} is not a cache Docket knows.",
                hint="Use db:// (the database, the default) or redis://host:port/0.",
                id="docket.E002",
            )
        ]
    if scheme in {"redis", "rediss", "unix"} and importlib.util.find_spec("redis") is None:
        return [
            Error(
                "DOCKET_CACHE_URL names Redis, but the redis package is not installed.",
                hint="Install redis with Docket, or use db:// (the default).",
                id="docket.E002",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_cache_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is per process: sign-in and MFA rate limits and TOTP replay "
                "protection do not hold across workers.",
                hint="Leave DOCKET_CACHE_URL unset (the database cache) or use Redis.",
                id="docket.W001",
            )
        ]
    return []


@register(Tags.security)
def check_request_limits(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    total = int(getattr(settings, "DOCKET_MAX_REQUEST_BYTES", 0))
    one = int(getattr(settings, "DOCKET_MAX_UPLOAD_BYTES", 0))
    if total <= one:
        return [
            Error(
                f"DOCKET_MAX_REQUEST_BYTES ({total:,}) must be larger than "
                f"DOCKET_MAX_UPLOAD_BYTES ({one:,}), or no upload of the largest size "
                "could ever be sent.",
                id="docket.E003",
            )
        ]
    return []
