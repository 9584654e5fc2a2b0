"""KEK rotation: resumable, proven by decrypting every item; `docket keys`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from tests.crypto.conftest import MARKER, needs_journal

from docket.crypto import kek, keyfiles
from docket.crypto.errors import KeyUnwrapFailed
from docket.crypto.models import CaseKey
from docket.crypto.rotation import keys_retire, keys_rotate, keys_verify, rotation_pending
from docket.crypto.services import content_read
from docket.crypto.store import DirectoryContentStore

pytestmark = [pytest.mark.django_db(transaction=True), needs_journal]


class Interrupted(Exception):
    pass


@pytest.fixture
def corpus(put):
    """Six cases, two items each (one with a sealed filename)."""
    items = []
    for n in range(6):
        stream = f"case:R{n:03d}"
        items.append(put(f"{MARKER} {n}a", stream=stream))
        items.append(put(f"{MARKER} {n}b", stream=stream, kind="evidence", filename=f"{n}.txt"))
    return items


def read_all(items):
    return [content_read(item=i.public_id, reader="person:A", capacity="admin") for i in items]


def cmd(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_rotation_rewraps_every_key_and_proves_it(corpus, dirs):
    before = read_all(corpus)
    old = {r.pk: bytes(r.wrapped_key) for r in CaseKey.objects.all()}
    report = keys_rotate()
    assert (report.kek_id, report.created, report.resumed, report.rewrapped) == (
        "kek-2",
        True,
        False,
        6,
    )
    assert set(CaseKey.objects.values_list("kek_id", flat=True)) == {"kek-2"}
    assert all(bytes(r.wrapped_key) != old[r.pk] for r in CaseKey.objects.all())
    assert read_all(corpus) == before
    verified = keys_verify()
    assert verified.ok
    assert (verified.keys, verified.items) == (6, 12)


def test_interrupted_rotation_resumes_and_everything_stays_readable(corpus, dirs):
    before = read_all(corpus)

    def crash_half_way(done, total):
        if done >= 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        keys_rotate(batch_size=1, on_progress=crash_half_way)
    kinds = sorted(CaseKey.objects.values_list("kek_id", flat=True))
    assert kinds == ["kek-1"] * 3 + ["kek-2"] * 3
    assert rotation_pending() == 3
    kek._providers.clear()  # as after a process restart
    assert read_all(corpus) == before  # half-way: old and new KEK both work
    resumed = keys_rotate()
    assert (resumed.kek_id, resumed.resumed, resumed.rewrapped) == ("kek-2", True, 3)
    assert keyfiles.kek_ids(dirs.keys) == ["kek-1", "kek-2"]  # no third KEK
    assert rotation_pending() == 0
    assert keys_verify().ok
    assert read_all(corpus) == before


def test_retire_old_kek_only_when_unused(corpus, dirs):
    with pytest.raises(Exception, match="current") as err:
        keys_retire("kek-1")
    assert err.value.code == "crypto.kek_current"
    keyfiles.create_kek(dirs.keys)  # kek-2 exists, nothing rewrapped yet
    with pytest.raises(Exception, match="still wrapped") as err:
        keys_retire("kek-1")
    assert err.value.code == "crypto.kek_in_use"
    keys_rotate()
    keys_retire("kek-1")
    assert keyfiles.kek_ids(dirs.keys) == ["kek-2"]
    kek._providers.clear()
    assert read_all(corpus)[0].startswith(MARKER.encode())


def test_a_key_wrapped_under_a_lost_kek_fails_verification(corpus, dirs):
    keyfiles.create_kek(dirs.keys)
    keyfiles.kek_path("kek-1", dirs.keys).unlink()
    kek._providers.clear()
    report = keys_verify()
    assert not report.ok
    assert {f["code"] for f in report.failures} == {"crypto.kek_missing"}
    with pytest.raises(Exception, match="missing"):
        keys_rotate()


def test_keys_command_init_status_rotate_verify(corpus, dirs, settings):
    out = cmd("keys", "init")
    assert "signing key: created" in out
    assert "key-encryption key: present" in out
    assert "signing key: present" in cmd("keys", "init")
    status = cmd("keys", "status")
    assert "kek-1 (current): wraps 6 data keys, mode 600" in status
    assert "items: 12 (0 shredded)" in status
    dry = cmd("keys", "rotate", "--dry-run")
    assert "dry run: would create a new KEK" in dry
    assert keyfiles.kek_ids(dirs.keys) == ["kek-1"]
    out = cmd("keys", "rotate", "--batch-size", "2")
    assert "rotated: 6 data keys now wrapped under kek-2" in out
    assert "verified: 6 data keys unwrap, 12 items decrypt" in out
    assert "kek-1: wraps 0 data keys" in cmd("keys", "status")
    assert "kek-1 destroyed" in cmd("keys", "retire", "kek-1")


def test_keys_verify_command_fails_on_a_damaged_item(corpus, dirs):
    path = DirectoryContentStore(dirs.content).path(corpus[3].blob)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="1 failures"):
        cmd("keys", "verify")


def test_status_warns_about_unfinished_rotation(corpus, dirs):
    keyfiles.create_kek(dirs.keys)
    assert "rotation unfinished: 6 data keys not under kek-2" in cmd("keys", "status")
    dry = cmd("keys", "rotate", "--dry-run")
    assert "would resume rotation to kek-2: 6 data keys" in dry


def test_init_on_empty_directory_creates_both(settings, tmp_path, db):
    settings.DOCKET_KEY_DIR = tmp_path / "fresh"
    out = cmd("keys", "init")
    assert "kek-1 created" in out
    assert "Back up" in out
    assert sorted(p.name for p in (tmp_path / "fresh").iterdir()) == [
        "kek-1.key",
        "org-signing-ed25519.pem",
    ]
    assert oct((tmp_path / "fresh" / "kek-1.key").stat().st_mode & 0o777) == "0o600"
    assert len(keyfiles.read_kek("kek-1", tmp_path / "fresh")) == 32


def test_wrong_kek_material_is_detected(put, dirs):
    item = put(MARKER)
    path = keyfiles.kek_path("kek-1", dirs.keys)
    path.unlink()
    keyfiles.create_kek(dirs.keys)  # same id, different material
    kek._providers.clear()
    with pytest.raises(KeyUnwrapFailed):
        content_read(item=item, reader="person:A", capacity="admin")
