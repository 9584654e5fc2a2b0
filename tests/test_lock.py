"""The dependency lock (issue 16): `make test` refuses a pyproject.toml that changed after
the lock was made, and this environment holds exactly the locked versions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    (tmp_path / "requirements").mkdir()
    for name in ("lockfile.py", "dev.txt", "runtime.txt"):
        shutil.copy(ROOT / "requirements" / name, tmp_path / "requirements" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "requirements" / "lockfile.py"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, check=False, timeout=120
    )


def test_the_lock_agrees_with_pyproject(tmp_path: Path) -> None:
    done = _run(str(_copy(tmp_path)), "check")
    assert done.returncode == 0, done.stderr


def test_a_dependency_edit_without_make_lock_is_refused_with_what_to_run(tmp_path: Path) -> None:
    script = _copy(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text()
    assert '"pyyaml>=6.0.1,<7",' in text
    pyproject.write_text(text.replace('"pyyaml>=6.0.1,<7",', '"pyyaml>=6.0.1,<7",\n  "six",'))
    done = _run(str(script), "check")
    assert done.returncode == 1
    assert "Run `make lock`" in done.stderr


def test_comments_and_other_sections_of_pyproject_do_not_need_a_new_lock(tmp_path: Path) -> None:
    script = _copy(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("line-length = 100", "line-length = 99"))
    assert _run(str(script), "check").returncode == 0


def test_this_environment_holds_exactly_the_locked_versions() -> None:
    lock = ROOT / "requirements"
    done = _run(str(lock / "lockfile.py"), "installed", str(lock / "dev.txt"))
    assert done.returncode == 0, done.stderr
    assert "Installed packages agree with requirements/dev.txt" in done.stdout


def test_every_lock_entry_carries_hashes() -> None:
    for name in ("dev.txt", "runtime.txt"):
        lines = (ROOT / "requirements" / name).read_text().splitlines()
        pins = [i for i, line in enumerate(lines) if "==" in line and not line.startswith("#")]
        assert pins, name
        for i in pins:
            assert lines[i + 1].strip().startswith("--hash=sha256:"), lines[i]


def test_the_runtime_lock_is_the_dev_lock_s_runtime_part_at_the_same_versions() -> None:
    sys.path.insert(0, str(ROOT / "requirements"))
    try:
        import lockfile
    finally:
        sys.path.pop(0)
    runtime = lockfile.pins(ROOT / "requirements" / "runtime.txt")
    dev = lockfile.pins(ROOT / "requirements" / "dev.txt")
    assert {"django", "django-allauth", "cryptography", "psycopg", "pip", "setuptools"} <= set(
        runtime
    )
    assert "pytest" not in runtime
    assert {name: dev[name] for name in runtime} == runtime
