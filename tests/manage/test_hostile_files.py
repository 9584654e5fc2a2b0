"""Issue 24, low: protocol YAML uploads and CSV member imports answered 500 to alias
bombs (``a: &a [*a]``), 3,000-deep nesting, ``!!python/name:`` tags and fields over
128 KiB (and aliases expanded exponentially: 311 bytes took a second). Each is now a
4xx carrying its ``file:line`` problem, on the page and on the command line (no
traceback), and nothing is recorded. Tests in docs/security.md."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from docket.cases.models import ProtocolVersion
from docket.org.models import Membership


def _laughs(levels: int = 6) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "self_alias": ("a: &a [*a]\n", "an alias refers to itself"),
    "alias_bomb": (_laughs(), "expands to more than"),
    "deep_lists": ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 64 levels"),
    "deep_maps": ("a: " + "{k: " * 3000 + "}" * 3000 + "\n", "nested more than 64 levels"),
    "python_tag": ("protocol: !!python/name:os.system\n", "are not allowed"),
    "long_field": ("protocol:\n  title: " + "x" * (130 * 1024) + "\n", "longer than 131,072"),
    "long_number": ("protocol:\n  version: " + "9" * 5000 + "\n", "too many digits"),
}
LINE = {"long_field": 2, "long_number": 2}


def _upload(client: Client, name: str, text: str) -> Any:
    return client.post(
        reverse("manage:protocol_check"),
        {"file": SimpleUploadedFile(name, text.encode(), "application/yaml")},
    )


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_protocol_uploads_get_400_with_their_line(admin_client: Client, kind: str) -> None:
    text, problem = HOSTILE[kind]
    started = time.monotonic()
    response = _upload(admin_client, "hostile.yaml", text)
    assert response.status_code == 400
    body = response.content.decode()
    assert problem in body, body[-3000:]
    assert f'data-testid="problem-line-{LINE.get(kind, 1)}"' in body
    assert time.monotonic() - started < 30
    assert not ProtocolVersion.objects.exists()
    # Posting the text straight to the adoption step is refused the same way.
    response = admin_client.post(
        reverse("manage:protocol_adopt"),
        {"text": text, "source": "hostile.yaml", "confirm": "on"},
    )
    assert response.status_code in (302, 400)
    assert not ProtocolVersion.objects.exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_cli_prints_the_same_problems_and_no_traceback(tmp_path: Path, kind: str) -> None:
    text, problem = HOSTILE[kind]
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("protocol", "check", str(path), stderr=err)
    printed = err.getvalue()
    assert f"{path}:{LINE.get(kind, 1)}:" in printed
    assert problem in printed
    assert "Traceback" not in printed


ROSTER_HUGE = (
    "member_number,name,joined_on,unit\n"
    "L-0500,Jamie Fox,2011-02-03,harbor\n"
    'L-0501,"' + "x" * (130 * 1024) + '",2012-05-06,coast\n'
)


def test_a_roster_field_over_128_kib_is_a_400_with_its_line(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("manage:member_import"),
        {"file": SimpleUploadedFile("roster.csv", ROSTER_HUGE.encode(), "text/csv")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3" in body
    assert "cannot be read as CSV" in body
    assert not Membership.objects.exists()


def test_the_members_cli_prints_the_line_and_no_traceback(org: Any, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_HUGE)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("members", "import", str(path), stdout=out)
    assert "roster.csv: line 3: cannot be read as CSV" in out.getvalue()
    assert not Membership.objects.exists()
