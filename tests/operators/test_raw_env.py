"""(( raw_env $NAME )): spruce's uncoerced environment variable, with its fallbacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SPRUCE = str(Path.home() / ".cache" / "reference-bin" / "spruce")


def test_values_stay_strings(merge):
    env = {"PORT": "8080", "FLAG": "true", "EMPTY": "", "DOC": "a: b", "LIST": "[1, 2]"}
    doc = """
    port: (( raw_env $PORT ))
    grabbed: (( grab $PORT ))
    flag: (( raw_env $FLAG ))
    empty: (( raw_env $EMPTY ))
    doc: (( raw_env $DOC ))
    list: (( raw_env $LIST ))
    """
    assert merge(doc, env=env) == {
        "port": "8080",
        "grabbed": "8080",  # graft's $VAR is a string too (spruce's is the number)
        "flag": "true",
        "empty": "",
        "doc": "a: b",
        "list": "[1, 2]",
    }


def test_fallbacks_are_tried_in_turn(merge):
    doc = """
    meta:
      x: (( concat "computed-" "later" ))
    a: (( raw_env $UNSET || $OTHER ))
    b: (( raw_env $UNSET || false ))
    c: (( raw_env $UNSET || meta.x ))
    d: (( raw_env $UNSET || $.meta.x ))
    e: (( raw_env $UNSET || "text" ))
    f: (( raw_env $UNSET || ~ ))
    """
    got = merge(doc, env={"OTHER": "true"})
    assert got == {
        "meta": {"x": "computed-later"},
        "a": "true",
        "b": False,
        "c": "computed-later",
        "d": "computed-later",
        "e": "text",
        "f": None,
    }


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("(( raw_env $UNSET ))", "environment variable $UNSET is not set"),
        ("(( raw_env $UNSET || $ALSO ))", "environment variable $ALSO is not set"),
        (
            "(( raw_env $UNSET || nope.y ))",
            "unable to resolve `nope.y`: `$.nope` could not be found in the datastructure",
        ),
        ("(( raw_env meta.x ))", "raw_env operator only accepts environment variable arguments"),
        ('(( raw_env "lit" ))', "raw_env operator only accepts environment variable arguments"),
        ("(( raw_env $.meta.x ))", "raw_env operator only accepts environment variable arguments"),
        ("(( raw_env ))", "raw_env operator requires exactly one argument"),
        ("(( raw_env $A $B ))", "raw_env operator requires exactly one argument"),
    ],
)
def test_errors(merge_error, expr, message):
    assert merge_error(f"meta: {{x: 1}}\nx: {expr}\n", env={"A": "1", "B": "2"}) == [
        f" - $.x: {message}"
    ]


@pytest.mark.skipif(not os.access(SPRUCE, os.X_OK), reason="the reference spruce is absent")
@pytest.mark.parametrize(
    "expr",
    [
        "(( raw_env $PORT ))",
        "(( raw_env $EMPTY ))",
        "(( raw_env $UNSET || $PORT ))",
        "(( raw_env $UNSET || false ))",
        "(( raw_env $UNSET || meta.x ))",
        "(( raw_env $UNSET || $.meta.x ))",
        "(( raw_env $UNSET || nope.y ))",
        "(( raw_env $UNSET ))",
        "(( raw_env meta.x ))",
        "(( raw_env ))",
    ],
)
def test_as_spruce_prints_it(tmp_path, expr):
    doc = tmp_path / "doc.yml"
    doc.write_text(f"meta:\n  x: from-ref\nx: {expr}\n")
    env = {"PATH": os.environ.get("PATH", ""), "PORT": "0x1F", "EMPTY": ""}
    spruce = subprocess.run([SPRUCE, "merge", "--prune", "meta", str(doc)], capture_output=True, env=env)
    ours = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", "--prune", "meta", str(doc)],
        capture_output=True,
        env=env,
    )
    assert (ours.returncode, ours.stdout, ours.stderr) == (
        spruce.returncode,
        spruce.stdout,
        spruce.stderr,
    )
