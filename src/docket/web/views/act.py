"""One page per step of the protocol: the form, the engine's answer, and a confirmation
for steps that cannot be undone. A refused step changes nothing and says why (the
engine's reasons and clauses); a page rendered before someone else acted says "the case
changed" and keeps what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from docket.accounts.second_factor import has_second_factor
from docket.core.errors import Conflict, InvalidInput, PermissionDenied, ProtocolRefusal
from docket.protocol.engine import NOT_EMPOWERED

from ..actions import ActionForm
from ..casepage import CasePage, case_page
from ..mfa import to_authenticator_page
from ..steps import CONFIRM, FORMS
from .common import viewer_or_404, with_org_zone


def _choice(page: CasePage, action: str | None) -> Any:
    return next((a for a in page.actions if a.action == action), None)


@require_http_methods(["GET", "POST"])
@with_org_zone
def act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    person = viewer_or_404(request)
    page = case_page(person, public_id)
    form_class = FORMS.get(action)
    judged = form_class.judged_as() if form_class is not None else None
    if form_class is None or (judged is not None and judged not in page.protocol.actions):
        raise Http404("No such step.")
    if form_class.reads_content and not has_second_factor(request.user, honour_demo_waiver=True):
        return to_authenticator_page(request)
    choice = _choice(page, judged)
    context: dict[str, Any] = {
        "page": page,
        "case": page.case,
        "action": action,
        "choice": choice,
        "title": form_class.title or (choice.title if choice else action),
        "confirm_needed": action in CONFIRM,
    }
    if _not_theirs(choice):
        # Refused before any form is built or read: a form's choices (a body's members,
        # the people in the case) are for those who may take the step. A POST gets the
        # answer the service would give; a GET is told the step is not theirs.
        if request.method == "GET":
            context["denied"] = " ".join(str(r["message"]) for r in choice.reasons)
            return render(request, "web/act.html", context, status=403)
        context["refusal"] = True
        context["reasons"] = list(choice.reasons)
        return render(request, "web/act.html", context, status=409)
    if request.method == "GET":
        context["form"] = form_class(page=page)
        return render(request, "web/act.html", context)

    form = form_class(request.POST, request.FILES, page=page)
    context["form"] = form
    if not form.is_valid():
        return render(request, "web/act.html", context, status=400)
    if action in CONFIRM and request.POST.get("confirmed") != "yes":
        if request.POST.get("confirmed") == "no":
            return render(request, "web/act.html", context)
        context["summary"] = _summary(form)
        return render(request, "web/confirm.html", context)
    try:
        result = form.perform(person, page.case.public_id, form.common())
    except ProtocolRefusal as refused:
        context["refusal"] = refused
        context["reasons"] = refused.data.get("reasons", [])
        context["deviable_by"] = [page.body_name(b) for b in refused.data.get("deviable_by", [])]
        return render(request, "web/act.html", context, status=409)
    except PermissionDenied as denied:
        context["denied"] = denied.message
        return render(request, "web/act.html", context, status=403)
    except Conflict:
        fresh = case_page(person, public_id)
        data = request.POST.copy()
        data["expect_seq"] = str(fresh.head)
        context.update(page=fresh, changed=True, form=form_class(data, page=fresh))
        context["form"].is_valid()
        return render(request, "web/act.html", context, status=409)
    except InvalidInput as bad:
        field = bad.data.get("field") if isinstance(bad.data, dict) else None
        form.add_error(field if field in form.fields else None, bad.message)
        return render(request, "web/act.html", context, status=400)
    own = form.respond(result)
    if own is not None:
        return own
    messages.success(request, _("Done: %(step)s.") % {"step": context["title"]})
    return redirect(reverse("web:case", args=[page.case.public_id]))


def _not_theirs(choice: Any) -> bool:
    """The engine says the viewer may not take this step in any capacity they hold (not
    a refusal by the rules or the stage, which the form explains)."""
    if choice is None or choice.allowed:
        return False
    return any(r["code"] == NOT_EMPOWERED for r in choice.reasons)


def _summary(form: ActionForm) -> list[tuple[str, str]]:
    rows = []
    for bound in form.action_fields:
        value = form.cleaned_data.get(bound.name)
        choices = dict(getattr(bound.field, "choices", []) or [])
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        elif isinstance(value, bool):
            shown = _("yes") if value else _("no")
        else:
            shown = str(choices.get(value, value)) if value not in (None, "") else "—"
        rows.append((str(bound.label), shown))
    return rows
