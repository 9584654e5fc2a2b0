"""The shape every administration form shares: check the form, make one service call,
then either confirm what was done or show the refusal next to the field it names (what
was typed stays in the form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from docket.core.errors import DocketError
from docket.web.manage.forms import apply_error

T = TypeVar("T")


def carry_out(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    done: str | Callable[[T], str],
) -> T | None:
    """Call ``action`` with the form's cleaned data when the form is bound and valid.

    Accepted: the ``done`` message (or ``done(result)``) is shown on the next page and
    the service's result is returned, so the view redirects. Otherwise None: the form
    carries its errors, a refusal among them, and the view shows it again. ``action``
    returns what the service recorded, never None.
    """
    if not form.is_valid():  # an unbound form is never valid
        return None
    try:
        result = action(form.cleaned_data)
    except DocketError as exc:
        apply_error(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result
