"""The tree of units: national, regions, branches."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from docket.org.models import Unit
from docket.org.services import unit_create
from docket.web.manage.access import CAPACITY, actor, administrator_required
from docket.web.manage.forms import UnitForm
from docket.web.manage.views.form_action import carry_out


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)


def unit_tree() -> list[Node]:
    """Every unit as a tree, from one query."""
    nodes = {u.id: Node(u) for u in Unit.objects.order_by("id")}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


@administrator_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if carry_out(
        request,
        form,
        lambda data: unit_create(
            actor=actor(request),
            capacity=CAPACITY,
            kind=data["kind"],
            key=data["key"],
            name=data["name"],
            parent=data["parent"],
        ),
        done=lambda unit: _("Unit “%(name)s” created.") % {"name": unit.name},
    ):
        return redirect("manage:units")
    return render(
        request, "manage/units.html", {"tree": unit_tree(), "form": form, "section": "units"}
    )
