"""The demo: a fictional organization to try Docket with (``docket demo``, ``make demo``).

``load_demo()`` runs each step in ``STEPS`` in order, inside one transaction. Every step
is idempotent: running the demo twice leaves the same data. A step is a function
``load(demo: Demo) -> None`` in a module of this package; it can read what earlier
steps made through ``demo`` (``demo.users["admin"]``) and add sign-in notes or other
lines for the person running the demo with ``demo.note(...)``.

To add to the demo (organization, bodies, protocol, cases …), write
``docket/demo/<area>.py`` with a ``load`` function and append its dotted path to
``STEPS``. Everything here is fictional and for demonstration only: ``load_demo`` refuses
to run when Docket is configured for production.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from docket.core.errors import ConfigurationError

if TYPE_CHECKING:
    from docket.accounts.models import User

# Run in this order; later steps may use what earlier ones made.
STEPS: list[str] = [
    "docket.demo.accounts.load",
    "docket.demo.cases.load",
    "docket.demo.other_cases.load",
    "docket.demo.intake.load",
    "docket.demo.people.load",
]


@dataclass
class Demo:
    """What the demo has made so far, shared between steps."""

    users: dict[str, User] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Free-form room for later steps (organization, bodies, cases) keyed by name.
    objects: dict[str, object] = field(default_factory=dict)

    def note(self, line: str) -> None:
        self.notes.append(line)


def _step(path: str) -> Callable[[Demo], None]:
    module_name, _, attr = path.rpartition(".")
    step: Callable[[Demo], None] = getattr(import_module(module_name), attr)
    return step


def load_demo(*, dry_run: bool = False) -> Demo:
    """Create or refresh the demo data. With ``dry_run`` everything is rolled back."""
    if getattr(settings, "PRODUCTION", False):
        raise ConfigurationError(
            "The demo creates accounts with published passwords and never runs in production.",
            code="demo.production",
        )
    demo = Demo()
    with transaction.atomic():
        for path in STEPS:
            _step(path)(demo)
        if dry_run:
            transaction.set_rollback(True)
    return demo
