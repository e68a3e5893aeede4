"""Every folder under examples/ runs as documented and prints its expected output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = sorted(p.parent for p in EXAMPLES.glob("*/example.json"))


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_example_output(folder: Path) -> None:
    spec = json.loads((folder / "example.json").read_text())
    env = {**os.environ, **spec.get("env", {})}
    proc = subprocess.run(
        [sys.executable, "-m", "graftpy", *spec["args"]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == spec.get("rc", 0), proc.stderr
    assert proc.stdout == (folder / spec.get("expected", "expected.yml")).read_text()
