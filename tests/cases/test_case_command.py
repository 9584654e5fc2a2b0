"""docket case check / import / export on the command line (issue 7)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from docket.org.services import organization_create

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"
pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("case", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_check_a_file_without_storing_it(protocols):
    from docket.cases.models import Case

    code, text = run("check", "--file", str(FIXTURE))
    assert code == 1
    for clause in ("s.4.2", "s.4.3", "s.7.3"):
        assert clause in text
    assert Case.objects.count() == 0
    code, text = run("check", "--file", str(FIXTURE), "--json")
    report = json.loads(text[: text.rindex("}") + 1])
    assert report["format"] == "docket-compliance/1"
    assert sorted(v["clause"] for v in report["violations"]) == ["s.4.2", "s.4.3", "s.7.3"]


def test_import_then_check_then_export(keys, protocols, tmp_path):
    organization_create(actor="test", capacity="admin", name="The League")
    code, text = run("import", str(FIXTURE), "--dry-run")
    assert code == 0
    assert "Would import case 2013-004: 46 events" in text
    code, text = run("import", str(FIXTURE), "--recorded-by", "Review secretary")
    assert code == 0
    assert "Imported case 2013-004" in text
    assert text.count("breach of protocol") == 3
    code, text = run("check", "2013-004")
    assert code == 1
    assert "s.7.3" in text
    code, text = run("export", "2013-004", "--out", str(tmp_path / "out"))
    assert code == 0
    assert (tmp_path / "out" / "case.yaml").exists()
    code, text = run("export", "2013-004", "--out", str(tmp_path / "out"))
    assert code == 2
    assert "not empty" in text


def test_a_broken_file_exits_2_with_file_line(protocols, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(FIXTURE.read_text().replace("type: hearing.held", "type: hearing.heald"))
    code, text = run("check", "--file", str(broken))
    assert code == 2
    assert f"{broken}:" in text
    assert "not a case event type" in text
