"""``docket members import`` and ``docket members list``."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from docket.ledger.selectors import stream_events
from docket.org.models import Membership, Person
from docket.org.selectors import standing_at, unit_at, unit_history

from .conftest import League, snapshot

pytestmark = pytest.mark.django_db

GOOD = """member_number,name,joined_on,unit
1001,Ada Brook,2010-03-01,harbor
1002,Ben Cole,2011-07-15,bay-city
1003,Cy Dorn,2012-01-09,harbor
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("members", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str], str]:
    def write(text: str) -> str:
        path = tmp_path / "roster.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_import_admits_members_with_ledger_events(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    out = run("import", csv_file(GOOD), "--actor", "person:ADMIN")
    assert "admit 3" in out
    ada = Membership.objects.get(member_number="1001").person
    assert ada.display_name == "Ada Brook"
    assert unit_at(ada) == league.harbor
    assert standing_at(ada).status == "active"  # type: ignore[union-attr]
    admitted = stream_events(ada.ledger_stream)[0]
    assert admitted.type == "member.admitted"
    assert admitted.actor == "person:ADMIN"
    assert admitted.payload["reason"] == "Member roster import (roster.csv)"


def test_import_is_idempotent(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    path = csv_file(GOOD)
    run("import", path)
    before = snapshot()
    out = run("import", path)
    assert "admit 0" in out
    assert "leave 3 unchanged" in out
    assert snapshot() == before


def test_import_renames_and_transfers_what_changed(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    run("import", csv_file(GOOD))
    changed = GOOD.replace("Ben Cole", "Ben Cole-Ortiz").replace(
        "1003,Cy Dorn,2012-01-09,harbor", "1003,Cy Dorn,2012-01-09,bay-city"
    )
    out = run("import", csv_file(changed))
    assert "rename 1" in out
    assert "transfer 1" in out
    assert Person.objects.filter(display_name="Ben Cole-Ortiz").exists()
    cy = Membership.objects.get(member_number="1003").person
    assert [t.to_unit for t in unit_history(cy)] == [league.harbor, league.bay_city]


def test_dry_run_changes_nothing(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    out = run("import", csv_file(GOOD), "--dry-run")
    assert "Dry run" in out
    assert "admit 3" in out
    assert snapshot() == before


def test_bad_file_is_refused_whole_with_line_numbers(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    bad = (
        GOOD
        + "1004,,2013-01-01,harbor\n"  # line 5: no name
        + "1005,Eli Fenn,2013-02-30,harbor\n"  # line 6: no such date
        + "1001,Ada Again,2010-03-01,harbor\n"  # line 7: duplicate number
        + "1006,Gus Hale,2013-01-01,atlantis\n"  # line 8: unknown unit
        + "1007,Ivy Jay,2030-01-01,harbor\n"  # line 9: future
    )
    before = snapshot()
    out = StringIO()
    with pytest.raises(CommandError, match="5 error"):
        call_command("members", "import", csv_file(bad), stdout=out)
    text = out.getvalue()
    assert "line 5, name: is empty" in text
    assert "line 6, joined_on: is not a date" in text
    assert "line 7, member_number: 1001 already appears on line 2" in text
    assert "line 8, unit: no unit has the key 'atlantis'" in text
    assert "line 9, joined_on: is in the future" in text
    # The good rows were not imported either.
    assert snapshot() == before


def test_bad_header_is_refused(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("members", "import", csv_file("number,name\n1,A\n"), stdout=out)
    assert "missing column(s): member_number, joined_on, unit" in out.getvalue()
    assert "unknown column(s): number" in out.getvalue()
    assert not Membership.objects.exists()


def test_import_refuses_to_rewrite_joined_on(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    run("import", csv_file(GOOD))
    before = snapshot()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "members", "import", csv_file(GOOD.replace("2010-03-01", "2010-04-01")), stdout=out
        )
    assert "line 2, joined_on: member 1001 joined on 2010-03-01" in out.getvalue()
    assert snapshot() == before


def test_list_shows_unit_and_standing_at_a_date(league: League, csv_file) -> None:  # type: ignore[no-untyped-def]
    run("import", csv_file(GOOD))
    out = run("list", "--unit", "harbor")
    assert "Ada Brook" in out
    assert "Cy Dorn" in out
    assert "Ben Cole" not in out
    assert "2 member(s)." in out
    assert "2010-03-01" in out  # dates in the organization's zone, not UTC
    assert "1 member(s)." in run("list", "--at", "2011-01-01")
