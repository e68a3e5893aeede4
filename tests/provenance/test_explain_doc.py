"""The transcripts in docs/explain.md and the README's explain tour are what graftpy
prints, run in examples/explain."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "explain"


def transcripts(text: str) -> list[tuple[str, str]]:
    """(command, output) of each indented ``$ graftpy ...`` block."""
    found = []
    for block in re.findall(r"(?:^    .*\n?)+", text, re.M):
        lines = [line[4:] for line in block.splitlines()]
        starts = [i for i, line in enumerate(lines) if line.startswith("$ graftpy ")]
        for n, i in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            found.append((lines[i][2:], "\n".join(lines[i + 1 : end]).rstrip()))
    return found


def run(command: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return (done.stdout + done.stderr).rstrip()


def test_docs_explain_transcripts():
    found = transcripts((ROOT / "docs" / "explain.md").read_text())
    assert len(found) == 4
    for command, output in found:
        assert run(command) == output, command


def test_readme_tour_transcript():
    readme = (ROOT / "README.md").read_text()
    tour = readme[readme.index("$ cd examples/explain") :]
    ((command, output), *_) = transcripts(tour)
    assert command.startswith("graftpy explain") and run(command) == output
