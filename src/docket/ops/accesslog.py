"""gunicorn's access log without secrets in URLs (issue 24, low).

Invitation links (``/manage/invitation/<token>/``), password-reset links
(``/accounts/password/reset/key/<key>/``) and email confirmations
(``/accounts/confirm-email/<key>/``) carry a secret in their path; the default access
log wrote it, and the Referer of the next request, to every log file and log shipper.
``RedactingLogger`` (``docket serve`` passes it as ``--logger-class``) writes those
paths with the secret replaced by ``[redacted]``, and never writes query strings (they
can carry search terms or names): ``?…`` shows there was one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
_SECRET_PATHS = re.compile(
    r"^(/manage/invitation/|/accounts/password/reset/key/|/accounts/confirm-email/)[^/?#]+"
)


def redact_path(uri: str) -> str:
    """``uri`` (a path, with or without a query) as it may be logged."""
    path, _sep, query = uri.partition("?")
    path = _SECRET_PATHS.sub(lambda m: m.group(1) + REDACTED, path)
    return f"{path}?…" if query else path


def redact_referer(referer: str) -> str:
    if not referer or referer == "-":
        return referer
    parts = urlsplit(referer)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return origin + redact_path(parts.path + (f"?{parts.query}" if parts.query else ""))


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        raw = str(environ.get("RAW_URI") or environ.get("PATH_INFO") or "")
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '-')} {redact_path(raw)} "
            f"{environ.get('SERVER_PROTOCOL', '-')}"
        )
        atoms["U"] = redact_path(str(environ.get("PATH_INFO") or ""))
        atoms["q"] = "…" if environ.get("QUERY_STRING") else ""
        atoms["f"] = redact_referer(str(environ.get("HTTP_REFERER", "-")))
        atoms["{referer}i"] = atoms["f"]
        for key in ("{raw_uri}e", "{path_info}e", "{request_uri}e"):
            if key in atoms:
                atoms[key] = redact_path(str(atoms[key]))
        if "{query_string}e" in atoms:
            atoms["{query_string}e"] = atoms["q"]
        return atoms
