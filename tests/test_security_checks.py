"""Security checks that belong in the suite (issue 12): known vulnerabilities in the
installed dependencies (pip-audit). `check --deploy` and ruff's security rules are
checked in test_foundation.py and by `make test`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def test_no_known_vulnerabilities_in_dependencies():
    done = subprocess.run(
        [str(PIP_AUDIT), "--local", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stdout or "{}")
    deps = report.get("dependencies", [])
    vulnerable = [
        (d["name"], d["version"], [v["id"] for v in d.get("vulns", [])])
        for d in deps
        if d.get("vulns")
    ]
    assert not vulnerable, f"known vulnerabilities: {vulnerable}"
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        # Every lookup failed: the vulnerability service cannot be reached from here
        # (e.g. a registry mirror without PyPI's per-release JSON). Say so, loudly.
        pytest.skip(
            f"pip-audit could not reach a vulnerability service for any of "
            f"{len(deps)} dependencies; run it where PyPI's JSON API is reachable"
        )
    assert audited, done.stderr
