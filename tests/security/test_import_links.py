"""Issue 24, finding 3: ``docket case import`` followed symbolic links. A file entry
``file: content/key.txt`` where ``content/key.txt`` linked to ``var/keys/kek-1.key``
imported the key-encryption key as a statement. Attachments are now opened without
following any link and must be plain files inside the document's folder; the import is
refused with the entry's line and nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from docket.cases import interchange
from docket.cases.models import Case
from docket.cases.services.interchange import case_import
from docket.core import safefiles
from docket.core.errors import InvalidInput
from docket.crypto.models import ContentItem
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.services import organization_create

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"
pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db, keys, protocols):
    return organization_create(
        actor="test", capacity="admin", name="The League", time_zone="America/New_York"
    )


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        LedgerEvent.objects.count(),
        Person.objects.count(),
        ContentItem.objects.count(),
    )


def folder_with(tmp_path: Path, make_attachment) -> Path:
    """The reference case's file, whose statement-c is read from ``content/key.txt``."""
    folder = tmp_path / "import"
    (folder / "content").mkdir(parents=True)
    text = FIXTURE.read_text().replace(
        "  statement-c:  {kind: statement, text: \"C's written statement, conveyed through her "
        'advocate."}',
        "  statement-c:  {kind: statement, file: content/key.txt}",
    )
    assert "file: content/key.txt" in text
    (folder / "case.yaml").write_text(text)
    make_attachment(folder / "content" / "key.txt")
    return folder / "case.yaml"


def kek(keys: Path) -> Path:
    return keys / "kek-1.key"


def test_a_symbolic_link_to_the_key_encryption_key_is_refused(org, keys, tmp_path):
    path = folder_with(tmp_path, lambda at: at.symlink_to(kek(keys)))
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("case", "import", str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    message = str(refused.value)
    assert f"{path}:" in message
    assert "content.statement-c.file" in message
    assert "symbolic link" in message
    assert counts() == before


def test_a_link_in_a_folder_on_the_way_is_refused_too(org, keys, tmp_path):
    def linked_folder(at: Path) -> None:
        at.parent.rmdir()
        at.parent.symlink_to(keys)
        os.symlink("kek-1.key", keys / "key.txt")

    path = folder_with(tmp_path, linked_folder)
    before = counts()
    with pytest.raises(interchange.InterchangeInvalid) as refused:
        interchange.read(path)
    assert "symbolic link" in refused.value.message
    assert counts() == before


def test_a_link_swapped_in_after_the_check_is_refused_at_import(org, keys, tmp_path):
    path = folder_with(tmp_path, lambda at: at.write_text("an honest statement"))
    parsed = interchange.read(path)
    attachment = path.parent / "content" / "key.txt"
    attachment.unlink()
    attachment.symlink_to(kek(keys))
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        case_import(parsed=parsed, recorded_by="test")
    assert refused.value.code == "interchange.attachment_outside"
    assert counts() == before


def test_a_hard_link_and_a_fifo_are_refused(org, keys, tmp_path):
    path = folder_with(tmp_path, lambda at: os.link(kek(keys), at))
    with pytest.raises(interchange.InterchangeInvalid) as refused:
        interchange.read(path)
    assert "hard link" in refused.value.message
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(safefiles.OutsideFolder):
        safefiles.read_inside(tmp_path, "fifo")


@pytest.mark.parametrize("name", ["../kek-1.key", "/etc/passwd", "content/../../x", ""])
def test_names_that_leave_the_folder_are_refused(tmp_path, name):
    with pytest.raises(safefiles.OutsideFolder):
        safefiles.read_inside(tmp_path, name)


def test_a_plain_file_inside_the_folder_still_imports(org, tmp_path):
    path = folder_with(tmp_path, lambda at: at.write_text("C's statement, from a file."))
    result = case_import(parsed=interchange.read(path), recorded_by="test")
    assert result.case is not None
