"""The invitee's side of an invitation: open the link, choose a password, then set up a
second sign-in step.

The link's token is moved into the session at once and the browser is sent on to a URL
without it, so the token does not stay in the address bar, the history or a Referer.
Every token that cannot be used (wrong, expired, used, withdrawn) gets the same page,
so nothing here tells anyone which invitations or accounts exist.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from docket.accounts.services import PASSWORD_INVALID, invitation_accept, invitation_for_token
from docket.core.errors import DocketError
from docket.web.manage.forms import AcceptForm

SESSION_KEY = "docket_invitation_token"


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    request.session[SESSION_KEY] = token
    return redirect("manage:invitation_accept")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(SESSION_KEY, ""))
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "manage/invitation_invalid.html")
    if request.user.is_authenticated:
        # Someone else's session must not carry over into the invitee's new account;
        # signing out is a POST (with CSRF), never a side effect of opening a link.
        return render(request, "manage/invitation_signed_in.html")
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except DocketError as exc:
            if exc.code != PASSWORD_INVALID:
                request.session.pop(SESSION_KEY, None)
                return render(request, "manage/invitation_invalid.html")
            for message in exc.data.get("messages", [exc.message]):
                form.add_error("password1", message)
        else:
            request.session.pop(SESSION_KEY, None)
            response: HttpResponse = perform_login(
                request, user, redirect_url=reverse("mfa_activate_totp")
            )
            # The password was given a moment ago: allauth counts that as a fresh sign-in
            # (recorded after the login, which starts the session's records afresh), so
            # setting up the second step does not ask for it again.
            record_authentication(request, user, method="password", reauthenticated=True)
            return response
    return render(
        request,
        "manage/invitation_accept.html",
        {"form": form, "email": invitation.email},
    )
