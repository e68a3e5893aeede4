"""Calls that read themselves, or each other in a ring, are refused as graft refuses them.

Each expectation was checked with the graft binary: a call reading its own path (or
below it) is a data-flow cycle for every operator; a call whose result holds a map or
list that holds the call itself (grab, ``||``) is a self-referencing dataset; keys and
stringify of their own container are fine. Every strategy agrees with the sequential run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CYCLE = "Merge failed: cycle detected in operator data-flow graph\n"
SELF = "Hit max recursion depth. You seem to have a self-referencing dataset\n"

CASES = [
    ("a: (( grab a ))", CYCLE),
    ("a: (( grab a.b ))", CYCLE),
    ("a: (( grab b || a ))", CYCLE),
    ('a: (( concat "x" a ))', CYCLE),
    ("a: (( keys a ))", CYCLE),
    ("a: (( inject a ))", CYCLE),
    ("a: {x: 1, z: (( inject a ))}", CYCLE),
    ("a: [(( grab a.0 ))]", CYCLE),
    ("a: [{name: x, v: (( grab a.x.v ))}]", CYCLE),
    ("a: {x: (( cartesian-product a ))}", CYCLE),
    ("a: (( grab b ))\nb: (( grab c ))\nc: (( grab a ))", CYCLE),
    ("a: {x: (( grab a ))}", SELF),
    ("a: [1, (( grab a ))]", SELF),
    ("a: {x: (( grab a || 1 ))}", SELF),
    ("a: {x: (( a.y || a ))}", SELF),
    ("m: {a: (( grab m ))}\nn: (( grab m ))", SELF),
]

FINE = [
    ("meta: {a: 1, k: (( keys meta ))}", "meta:\n  a: 1\n  k:\n  - a\n  - k\n\n"),
    ("l: [a, (( grab l.0 ))]", "l:\n- a\n- a\n\n"),
    ('m: {a: 1, c: (( concat "x" m.a ))}', "m:\n  a: 1\n  c: x1\n\n"),
]

MODES = {
    "sequential": {"GRAFT_PARALLEL": "false"},
    "default": {},
    "aggressive": {
        "GRAFT_PARALLEL": "true",
        "GRAFT_PARALLEL_STRATEGY": "aggressive",
        "GRAFT_PARALLEL_MIN_OPS": "0",
    },
}


def merge(tmp_path: Path, doc: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "in.yml"
    source.write_text(doc + "\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **env},
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("doc", "stderr"), CASES)
def test_a_call_reading_itself_is_refused(tmp_path: Path, doc: str, stderr: str, mode: str):
    done = merge(tmp_path, doc, MODES[mode])
    assert (done.returncode, done.stdout, done.stderr) == (2, "", stderr)


@pytest.mark.parametrize(("doc", "stdout"), FINE)
def test_reading_a_container_without_copying_it_is_fine(tmp_path: Path, doc: str, stdout: str):
    done = merge(tmp_path, doc, {})
    assert (done.returncode, done.stderr, done.stdout) == (0, "", stdout)


@pytest.mark.parametrize(
    ("expr", "name"), [("grab $", ""), ("grab $.a", ".a"), ('concat "x" $', "")]
)
def test_a_dollar_word_is_an_environment_variable_as_in_graft(tmp_path: Path, expr, name):
    done = merge(tmp_path, f"a: 1\nr: (( {expr} ))", {})
    assert done.returncode == 2 and done.stdout == ""
    assert " - $.r: " in done.stderr and "nvironment variable" in done.stderr
    assert f"'{name}'" in done.stderr or f"${name} " in done.stderr  # graft's or our wording
