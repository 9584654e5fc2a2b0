"""Pages of the notify area (thin: parse, call a service, render)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from docket.org.selectors import person_for_user

from . import services
from .models import DeliveryMode


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("How would you like to hear from Docket?"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
    )


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    notices = list(services.notices_of(person)[:100])
    mode = services.mode_of(person) if person else DeliveryMode.IMMEDIATE
    return render(
        request,
        "notify/list.html",
        {"person": person, "notices": notices, "mode_label": DeliveryMode(mode).label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        return render(request, "notify/preferences.html", {"form": None}, status=200)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(person=person, mode=form.cleaned_data["mode"])
            messages.success(request, _("Your choice is saved."))
            return redirect("notify:preferences")
    else:
        form = PreferenceForm(initial={"mode": services.mode_of(person)})
    return render(request, "notify/preferences.html", {"form": form})
