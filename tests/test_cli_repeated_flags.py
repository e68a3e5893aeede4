"""graft refuses one of its switches given twice (its usage, exit 1); so does graftpy.

Found by the differential fuzzer (finding F29 in /work/notes/differential-findings.md):
``graft merge --skip-eval --skip-eval a.yml`` prints graft's usage and exits 1, while
``--prune`` and ``--cherry-pick`` may be given any number of times.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def graftpy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args], cwd=cwd, capture_output=True, text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "flags",
    [("--skip-eval", "--skip-eval"), ("-m", "--multi-doc"), ("--go-patch", "--go-patch"),
     ("--fallback-append", "--fallback-append")],
)
def test_a_switch_given_twice_is_a_usage_error(tmp_path: Path, flags: tuple[str, str]) -> None:
    (tmp_path / "a.yml").write_text("a: 1\n")
    out = graftpy("merge", *flags, "a.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (1, "")
    assert "is given more than once" in out.stderr and "Usage: graftpy merge" in out.stderr


def test_prune_and_cherry_pick_may_repeat(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("a: 1\nb: 2\nc: 3\n")
    out = graftpy("merge", "--prune", "a", "--prune", "b", "a.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "c: 3\n\n")
