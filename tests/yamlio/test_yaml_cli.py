"""YAML types end to end, as a graft user meets them on the command line: YAML 1.1
words as keys and values, strings that read as numbers, go-patch values and keys
given twice (expected text as the real graft prints it, except DIVERGENCES row 17)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WORKFLOW = """\
on:
  push:
    branches: [main]
point: {x: 10, y: 20}
answers: [y, n, yes, no, "on", 'off', Y, N]
versions: ["1e3", "1.", "0.", "1.0e3", "0x1F", "+inf", "1:30", "2.10", "1_000"]
port: "8080"
"""


def merge(tmp_path: Path, *files: tuple[str, str], flags: tuple[str, ...] = ()):
    names = []
    for name, text in files:
        (tmp_path / name).write_text(text)
        names.append(name)
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", *flags, *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_words_and_numbers_as_graft_prints_them(tmp_path: Path) -> None:
    out = merge(tmp_path, ("wf.yml", WORKFLOW))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        'answers:\n- "y"\n- "n"\n- true\n- false\n- true\n- false\n- "Y"\n- "N"\n'
        '"on":\n  push:\n    branches:\n    - main\n'
        'point:\n  x: 10\n  "y": 20\n'
        'port: "8080"\n'
        'versions:\n- "1e3"\n- "1."\n- "0."\n- "1.0e3"\n- "0x1F"\n- "+inf"\n- "1:30"\n'
        '- "2.10"\n- "1_000"\n\n'
    )


def test_go_patch_values_keep_the_forks_types(tmp_path: Path) -> None:
    patch = '- type: replace\n  path: /patched?\n  value: {y: n, flag: "off", n: [0x1p3, +inf]}\n'
    out = merge(tmp_path, ("a.yml", "a: 1\n"), ("p.yml", patch), flags=("--go-patch",))
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout == 'a: 1\npatched:\n  false:\n  - 8\n  - .inf\n  true: false\n  flag: "off"\n\n'
    )


def test_a_key_given_twice_warns_and_keeps_the_last_value(tmp_path: Path) -> None:
    out = merge(tmp_path, ("dup.yml", "name: first\njobs:\n  web: 1\nname: second\n"))
    assert out.returncode == 0
    assert out.stdout == "jobs:\n  web: 1\nname: second\n\n"
    assert out.stderr == (
        'warning: dup.yml: line 4, column 1: duplicate map key "name", the last value is used\n'
    )


def test_dates_stay_as_written(tmp_path: Path) -> None:
    # DIVERGENCES row 18: graft prints 2025-01-01T00:00:00Z
    out = merge(tmp_path, ("d.yml", "release: 2025-01-01\nat: 2001-12-14 21:59:43.10\n"))
    assert out.stdout == "at: 2001-12-14 21:59:43.10\nrelease: 2025-01-01\n\n"


def test_cherry_picking_through_a_named_list_entry_evaluates_it(tmp_path: Path) -> None:
    # DIVERGENCES row 16: graft leaves the grab in the output
    doc = "ig:\n- name: web\n  password: (( grab meta.pw ))\nmeta:\n  pw: s3cret\n"
    out = merge(tmp_path, ("ig.yml", doc), flags=("--cherry-pick", "ig.web"))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "ig:\n- name: web\n  password: s3cret\n\n"


def test_keys_true_one_and_one_point_zero_stay_apart_through_a_merge(tmp_path: Path) -> None:
    """Go keeps bool, int and float64 keys apart, in one file and across files;
    paths find them by their text (expected text as the real graft prints it)."""
    base = "a:\n  true: t\n  1: i\nc: (( grab a.1 ))\nd: (( grab a.true ))\nk: (( keys a ))\n"
    over = "a:\n  1.0: f\n  '1': s\n"
    out = merge(tmp_path, ("base.yml", base), ("over.yml", over))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        'a:\n  true: t\n  1: i\n  1: f\n  "1": s\nc: s\nd: t\nk:\n- "1"\n- "true"\n\n'
    )
