"""Protocols: check a file (line-numbered problems), read it as text, adopt a version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from docket.cases.models import ProtocolVersion

LEAGUE = Path(settings.DOCKET_PROTOCOL_DIR) / "league-v1.yaml"


def _upload(client: Client, name: str, text: str) -> Any:
    return client.post(
        reverse("manage:protocol_check"),
        {"file": SimpleUploadedFile(name, text.encode(), "application/yaml")},
    )


def broken_league() -> tuple[str, int]:
    """The League protocol with one field misspelt; returns the text and that line."""
    lines = LEAGUE.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    lines[number] = lines[number].replace("title:", "titel:")
    return "\n".join(lines) + "\n", number + 1


def test_a_broken_file_shows_each_problem_next_to_its_line(admin_client: Client) -> None:
    text, line = broken_league()
    response = _upload(admin_client, "league.yaml", text)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-testid="problem-line-{line}"' in body
    assert "not part of the protocol language" in body
    assert f'href="#line-{line}"' in body
    assert not ProtocolVersion.objects.exists()


def test_yaml_syntax_errors_are_shown_at_their_line(admin_client: Client) -> None:
    response = _upload(admin_client, "bad.yaml", "protocol:\n  id: x\n  title: [unclosed\n")
    assert response.status_code == 400
    assert "not valid YAML" in response.content.decode()


def test_a_file_that_is_not_text_is_refused(admin_client: Client) -> None:
    response = _upload(admin_client, "bin.yaml", "")
    assert response.status_code == 200
    response = admin_client.post(
        reverse("manage:protocol_check"),
        {"file": SimpleUploadedFile("bin.yaml", b"\xff\xfe\x00", "application/yaml")},
    )
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()


def test_check_read_and_adopt(admin_client: Client, org: Any) -> None:
    text = LEAGUE.read_text(encoding="utf-8")
    response = _upload(admin_client, "league-v1.yaml", text)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="protocol-sound"' in body
    assert 'data-testid="protocol-text"' in body
    assert not ProtocolVersion.objects.exists()

    # Adoption needs the confirmation.
    response = admin_client.post(
        reverse("manage:protocol_adopt"), {"text": text, "source": "league-v1.yaml"}
    )
    assert response.status_code == 200
    assert not ProtocolVersion.objects.exists()

    response = admin_client.post(
        reverse("manage:protocol_adopt"),
        {"text": text, "source": "league-v1.yaml", "confirm": "on"},
    )
    assert response.status_code == 302
    version = ProtocolVersion.objects.get()
    assert version.text == text
    page = admin_client.get(response["Location"]).content.decode()
    assert 'data-testid="in-force"' in page
    listing = admin_client.get(reverse("manage:protocols")).content.decode()
    assert "in force" in listing
    assert version.title in listing


def test_adopting_a_changed_text_under_the_same_version_is_refused(
    admin_client: Client, org: Any
) -> None:
    text = LEAGUE.read_text(encoding="utf-8")
    data = {"source": "league-v1.yaml", "confirm": "on"}
    admin_client.post(reverse("manage:protocol_adopt"), {**data, "text": text})
    changed = text + "\n# a comment changes the text\n"
    response = admin_client.post(reverse("manage:protocol_adopt"), {**data, "text": changed})
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "already adopted with different text" in page
    assert ProtocolVersion.objects.count() == 1


@pytest.mark.parametrize("tampered", ["protocol: {}\n", "not: [yaml"])
def test_adopt_checks_the_text_again(admin_client: Client, tampered: str) -> None:
    response = admin_client.post(
        reverse("manage:protocol_adopt"),
        {"text": tampered, "source": "x.yaml", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not ProtocolVersion.objects.exists()


def test_line_endings_from_the_browser_do_not_change_the_adopted_text(
    admin_client: Client, org: Any
) -> None:
    text = LEAGUE.read_text(encoding="utf-8")
    admin_client.post(
        reverse("manage:protocol_adopt"),
        {"text": text.replace("\n", "\r\n"), "source": "league-v1.yaml", "confirm": "on"},
    )
    from docket.cases.protocols import protocol_adopt_file

    adopted = ProtocolVersion.objects.get()
    assert adopted.text == text
    # the shipped file adopts as the same version, not as a conflicting text
    assert protocol_adopt_file(LEAGUE, actor="test").pk == adopted.pk
