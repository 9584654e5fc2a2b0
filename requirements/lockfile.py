"""The dependency lock: make it, check it against pyproject.toml, check an environment.

    python requirements/lockfile.py make [--upgrade]   resolve and write both locks (uv)
    python requirements/lockfile.py check              pyproject.toml and the locks agree
    python requirements/lockfile.py installed LOCK     this interpreter has exactly LOCK

`dev.txt` pins everything the tests need (runtime, development and build tools);
`runtime.txt` pins what `make demo` needs, at the same versions. Each starts with a
digest of the parts of pyproject.toml that choose dependencies, so an edit there that
was not followed by `make lock` is caught before anything is installed. `check` and
`make` run on the standard library alone (they run before the virtual environment).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = {"dev": HERE / "dev.txt", "runtime": HERE / "runtime.txt"}
PYTHON_VERSION = "3.11"  # the oldest Python pyproject.toml admits; markers cover the rest
DIGEST_LINE = "# pyproject-dependencies-sha256: "
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pyproject_digest() -> str:
    """A digest of everything in pyproject.toml that decides what gets installed."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    project = data["project"]
    chosen = {
        "build-system.requires": sorted(data["build-system"]["requires"]),
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            name: sorted(reqs) for name, reqs in project.get("optional-dependencies", {}).items()
        },
    }
    return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()


def recorded_digest(lock: Path) -> str | None:
    if not lock.exists():
        return None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(DIGEST_LINE):
            return line[len(DIGEST_LINE) :].strip()
    return None


def check() -> int:
    want = pyproject_digest()
    stale = [name for name, lock in LOCKS.items() if recorded_digest(lock) != want]
    if stale:
        print(
            f"pyproject.toml's dependencies have changed since requirements/{stale[0]}.txt "
            "was made.\nRun `make lock` to update the lock (it keeps every other version "
            "as it is), then `make test`, and commit requirements/*.txt with the change.",
            file=sys.stderr,
        )
        return 1
    return 0


def build_requirements() -> list[str]:
    """The installer and the build backend are locked too (the project installs with
    --no-build-isolation, so nothing is fetched unpinned while building it)."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return ["pip", *data["build-system"]["requires"]]


def make(upgrade: bool) -> int:
    digest = pyproject_digest()
    with tempfile.TemporaryDirectory() as tmp:
        build_in = Path(tmp) / "build.in"
        build_in.write_text("\n".join(build_requirements()) + "\n", encoding="utf-8")
        common = ["--generate-hashes", "--universal", "--python-version", PYTHON_VERSION]
        common += ["--quiet", "--no-header"] + (["--upgrade"] if upgrade else [])
        # dev first: it is the whole set; runtime is then constrained to the same versions.
        plans = [
            ("dev", ["--extra", "dev"]),
            ("runtime", ["--constraint", str(LOCKS["dev"])]),
        ]
        for name, extra in plans:
            lock = LOCKS[name]
            out = Path(tmp) / f"{name}.txt"
            if lock.exists():  # keep today's versions unless asked to upgrade
                out.write_text(lock.read_text(encoding="utf-8"), encoding="utf-8")
            argv = ["uv", "pip", "compile", str(PYPROJECT), str(build_in), *extra, *common]
            done = subprocess.run([*argv, "-o", str(out)], check=False, cwd=ROOT)  # noqa: S603 — fixed argv
            if done.returncode:
                return done.returncode
            body = out.read_text(encoding="utf-8").replace(str(build_in), "build-system")
            header = (
                f"# The {name} lock. Made by `make lock` (requirements/lockfile.py); "
                "do not edit.\n"
                f"{DIGEST_LINE}{digest}\n"
            )
            lock.write_text(header + body, encoding="utf-8")
            print(f"wrote {lock.relative_to(ROOT)}: {len(pins(lock))} packages")
    return 0


def pins(lock: Path) -> dict[str, tuple[str, str | None]]:
    """name -> (version, marker) for every package pinned in a lock."""
    found: dict[str, tuple[str, str | None]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[normalize(match[1])] = (match[2], match[3])
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(lock: Path) -> int:
    """Compare this interpreter's packages with LOCK; print the agreement."""
    from importlib import metadata

    from packaging.markers import Marker

    expected = {
        name: version
        for name, (version, marker) in pins(lock).items()
        if marker is None or Marker(marker).evaluate()
    }
    have = {normalize(d.metadata["Name"]): d.version for d in metadata.distributions()}
    have.pop("docket", None)  # the project itself, installed from this checkout
    wrong = sorted(
        f"{name}: locked {version}, installed {have.get(name, 'nothing')}"
        for name, version in expected.items()
        if have.get(name) != version
    )
    extra = sorted(f"{name} {have[name]} (not in the lock)" for name in have.keys() - expected)
    for line in extra:  # left over from an older lock; harmless, but say so
        print(f"note: {line}", file=sys.stderr)
    if wrong:
        print(f"The installed packages disagree with {lock.name}:", file=sys.stderr)
        for line in wrong:
            print(f"  {line}", file=sys.stderr)
        print("Run `make clean test` to start from the lock.", file=sys.stderr)
        return 1
    print(
        f"Installed packages agree with requirements/{lock.name}: {len(expected)} packages, "
        f"e.g. django {have.get('django')}, django-allauth {have.get('django-allauth')}, "
        f"cryptography {have.get('cryptography')}, psycopg {have.get('psycopg')}"
    )
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"]:
        return check()
    if argv[:1] == ["make"]:
        return make(upgrade="--upgrade" in argv)
    if argv[:1] == ["installed"] and len(argv) == 2:
        return installed(Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
