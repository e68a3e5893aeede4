"""The README's differences 14, 22-25 and 29: where graft is broken and graftpy keeps its own behaviour.

Found by the differential fuzzer (findings F29, F31, F39, F40, F47 in
/work/notes/differential-findings.md; DIVERGENCES rows 19-21 proposed).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def graftpy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args], cwd=cwd, capture_output=True, text=True,
        timeout=60,
    )


def test_options_after_the_files_are_options(tmp_path: Path) -> None:  # 22
    (tmp_path / "a.yml").write_text("meta: {a: 1}\nb: 2\n")
    out = graftpy("merge", "a.yml", "--prune", "meta", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "b: 2\n\n")
    out = graftpy("merge", "--nope", "a.yml", cwd=tmp_path)
    assert out.returncode == 1 and "No such option '--nope'" in out.stderr


def test_a_parenthesised_expression_is_evaluated_for_grab(tmp_path: Path) -> None:  # 23
    (tmp_path / "a.yml").write_text("d: (( grab (1 + 2) ))\n")
    out = graftpy("merge", "a.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "d: 3\n\n")


def test_a_parenthesised_ternary_is_evaluated(tmp_path: Path) -> None:  # 23
    (tmp_path / "a.yml").write_text("x: 1\nd: '(( (x ? 1 : 2) + 1 ))'\n")
    out = graftpy("merge", "a.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "d: 2\nx: 1\n\n")


def test_maps_under_keys_that_are_not_strings_merge(tmp_path: Path) -> None:  # 29
    (tmp_path / "a.yml").write_text("m:\n  1: {x: 1}\n  true: {t: 1}\n")
    (tmp_path / "b.yml").write_text("m:\n  1: {y: 2}\n  true: {u: 2}\n")
    out = graftpy("merge", "a.yml", "b.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (
        0,
        'm:\n  true:\n    t: 1\n    u: 2\n  1:\n    x: 1\n    "y": 2\n\n',
    )


def test_a_root_key_that_is_not_a_string_changes_nothing_else(tmp_path: Path) -> None:  # 24
    (tmp_path / "a.yml").write_text(
        "meta: {m: {a: 1}, x: 1}\n1: x\nt: {i: (( inject meta.m ))}\n"
    )
    out = graftpy("merge", "--prune", "meta.m", "a.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (0, "1: x\nmeta:\n  x: 1\nt:\n  a: 1\n\n")


def test_ips_with_a_string_index_is_an_error_not_a_crash(tmp_path: Path) -> None:  # 25
    (tmp_path / "a.yml").write_text('r: (( ips "192.168.1.0/30" meta.nothere || "42" ))\n')
    out = graftpy("merge", "a.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        "1 error(s) detected:\n - $.r: ips operator index must be an integer, not 42\n\n\n"
    )


def test_an_array_operator_in_a_form_none_takes_is_an_error(tmp_path: Path) -> None:  # 14
    (tmp_path / "a.yml").write_text("l: [a, b]\n")
    (tmp_path / "b.yml").write_text("l:\n- (( insert after -1 ))\n- x\n")
    out = graftpy("merge", "a.yml", "b.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "1 error(s) detected:\n - $.l.0: (( insert )) operator not defined\n\n\n"
