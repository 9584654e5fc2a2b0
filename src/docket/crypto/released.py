"""Whether plaintext of confidential content was released while serving this request.

Every release to a reader is journaled (``docket.crypto.services._journal``), and that
is where ``mark()`` is called. ``docket.web.nostore.NoStoreMiddleware`` clears the mark
when a request begins and, when it is set at the end, sends the answer with
``Cache-Control: no-store, private``, so no browser, proxy or back/forward cache keeps
a page or API answer carrying decrypted content (issue 24, low). A context variable:
each thread and each request has its own.
"""

from __future__ import annotations

from contextvars import ContextVar, Token

_released: ContextVar[bool] = ContextVar("docket_content_released", default=False)


def mark() -> None:
    _released.set(True)


def begin() -> Token[bool]:
    return _released.set(False)


def end(token: Token[bool]) -> bool:
    """Whether content was released since ``begin``; restores the previous state."""
    released = _released.get()
    _released.reset(token)
    return released
