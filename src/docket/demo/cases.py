"""Demo step: the League, its protocols and the reference case run live. Its people's
accounts are made in ``docket.demo.people``, once every case exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docket.cases.models import Case
from docket.cases.protocols import protocol_adopt_file, shipped_protocols
from docket.crypto.keyfiles import kek_ids
from docket.org.models import Organization

if TYPE_CHECKING:
    from docket.demo import Demo
    from docket.demo.league import League


def _league() -> League:
    from .league import build_league, league_from_db

    return league_from_db() if Organization.objects.exists() else build_league()


def load(demo: Demo) -> None:
    league = _league()
    for path in shipped_protocols():
        protocol_adopt_file(path, actor="docket-demo")
    if not kek_ids():
        demo.note("No key-encryption key yet: run `docket keys init`, then `docket demo` again")
        demo.note("to add the reference case 2013-004.")
    elif not Case.objects.filter(reference="2013-004").exists():
        from .reference_live import run_reference_case

        demo.objects["reference_case"] = run_reference_case(league).case
