"""The addresses of a case's pages, reversed once per process rather than once per link.

A case page prints a dozen links to the same few routes (its documents, its record, the
form of each step). Each route is reversed once, for a placeholder case and step, and
the real ids are put in its place; an id that reversing would have to quote (none that
Docket issues) goes through ``reverse`` as usual. The script prefix and URL
configuration are part of the key, so a change of either is reversed afresh.
"""

from __future__ import annotations

from functools import cached_property

from django.urls import get_script_prefix, get_urlconf, reverse

_CASE = "0case0slot0"
_ACTION = "0action0slot0"
_TEMPLATES: dict[tuple[str, str | None, str], str] = {}


def _plain(value: str) -> bool:
    """An id that reversing leaves exactly as it is."""
    return value.isascii() and value.replace("_", "").replace("-", "").isalnum()


def _template(route: str) -> str:
    key = (get_script_prefix(), get_urlconf(), route)
    found = _TEMPLATES.get(key)
    if found is None:
        args = [_CASE, _ACTION] if route == "act" else [_CASE]
        found = _TEMPLATES[key] = reverse(f"web:{route}", args=args)
    return found


class CaseLinks:
    """``links.documents``, ``links.verify``…: the case's pages; ``links.act(name)``: the
    form of one step."""

    def __init__(self, public_id: str) -> None:
        self.public_id = public_id
        self._plain = _plain(public_id)

    def _url(self, route: str) -> str:
        if not self._plain:
            return reverse(f"web:{route}", args=[self.public_id])
        return _template(route).replace(_CASE, self.public_id)

    def act(self, action: str) -> str:
        if not _plain(action):
            return reverse("web:act", args=[self.public_id, action])
        return self._act.replace(_ACTION, action)

    @cached_property
    def _act(self) -> str:
        if not self._plain:
            return reverse("web:act", args=[self.public_id, _ACTION])
        return _template("act").replace(_CASE, self.public_id)

    @cached_property
    def case(self) -> str:
        return self._url("case")

    @cached_property
    def votes(self) -> str:
        return self._url("votes")

    @cached_property
    def documents(self) -> str:
        return self._url("documents")

    @cached_property
    def verify(self) -> str:
        return self._url("verify")

    @cached_property
    def receipt(self) -> str:
        return self._url("receipt")

    @cached_property
    def journal(self) -> str:
        return self._url("journal")

    @cached_property
    def cast_vote(self) -> str:
        return self.act("cast_vote")
