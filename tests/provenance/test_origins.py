"""Errors name the file and line they are about: always in the library (``GraftError.file``,
``.line``), on the command line only with ``--show-origin`` (else the text is graft's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import graftpy


def graftpy_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    (tmp_path / "a.yml").write_text("a: 1\nb:\n  c: (( grab nope ))\nl:\n- name: x\n")
    (tmp_path / "b.yml").write_text("b:\n  e: (( grab a ))\n  f: (( grab also.missing ))\n")
    (tmp_path / "c.yml").write_text('l:\n- (( delete "zz" ))\n')
    (tmp_path / "p.yml").write_text('need: (( param "say how many" ))\n')
    (tmp_path / "ops.yml").write_text(
        "- type: replace\n  path: /a\n  value: 2\n- type: remove\n  path: /zz\n"
    )
    return tmp_path


def test_library_evaluation_errors_carry_file_and_line(bad, monkeypatch):
    monkeypatch.chdir(bad)
    with pytest.raises(graftpy.MultiError) as caught:
        graftpy.merge("a.yml", "b.yml")
    err = caught.value
    assert str(err) == (
        "2 error(s) detected:\n"
        " - $.b.c: Unable to resolve `nope`: `$.nope` could not be found in the datastructure\n"
        " - $.b.f: Unable to resolve `also.missing`: `$.also` could not be found in the "
        "datastructure\n"
    )  # the text stays graft's
    where = {e.path: (e.file, e.line) for e in err.errors}
    assert where == {"b.c": ("a.yml", 3), "b.f": ("b.yml", 3)}


def test_library_merge_param_and_go_patch_errors(bad, monkeypatch):
    monkeypatch.chdir(bad)
    with pytest.raises(graftpy.GraftError) as caught:
        graftpy.merge("a.yml", "c.yml")
    (error,) = caught.value.errors
    assert (error.path, error.file, error.line) == ("l", "c.yml", 2)
    assert (caught.value.file, caught.value.line) == ("c.yml", 2)
    with pytest.raises(graftpy.GraftError) as caught:
        graftpy.merge("a.yml", "p.yml")
    assert (caught.value.errors[0].file, caught.value.errors[0].line) == ("p.yml", 1)
    with pytest.raises(graftpy.GraftError) as caught:
        graftpy.merge("a.yml", "ops.yml", go_patch=True)
    assert (caught.value.file, caught.value.line) == ("ops.yml", 4)


def test_library_text_sources_are_located_too():
    with pytest.raises(graftpy.GraftError) as caught:
        graftpy.merge({"a": 1}, "x: 1\nq: (( grab zzz ))\n")
    (error,) = caught.value.errors
    assert (error.file, error.line) == ("<string 1>", 2)
    assert error.path == "q"


def test_cli_keeps_graft_text_without_show_origin(bad):
    done = graftpy_cli("merge", "a.yml", "b.yml", cwd=bad)
    assert done.returncode == 2
    assert done.stderr == (
        "2 error(s) detected:\n"
        " - $.b.c: Unable to resolve `nope`: `$.nope` could not be found in the datastructure\n"
        " - $.b.f: Unable to resolve `also.missing`: `$.also` could not be found in the "
        "datastructure\n\n\n"
    )


def test_cli_show_origin_names_file_and_line(bad):
    done = graftpy_cli("merge", "--show-origin", "a.yml", "b.yml", cwd=bad)
    assert done.returncode == 2
    assert done.stderr == (
        "2 error(s) detected:\n"
        " - a.yml:3: $.b.c: Unable to resolve `nope`: `$.nope` could not be found in the "
        "datastructure\n"
        " - b.yml:3: $.b.f: Unable to resolve `also.missing`: `$.also` could not be found in "
        "the datastructure\n\n\n"
    )
    done = graftpy_cli("merge", "--show-origin", "a.yml", "c.yml", cwd=bad)
    assert done.stderr == (
        "1 error(s) detected:\n"
        " - c.yml:2: $.l: unable to find specified modification point with 'name: zz'\n\n\n"
    )


def test_explain_errors_always_name_file_and_line(bad):
    done = graftpy_cli("explain", "b", "a.yml", "b.yml", cwd=bad)
    assert done.returncode == 2
    assert " - a.yml:3: $.b.c: Unable to resolve `nope`" in done.stderr


def test_cli_show_origin_for_a_failed_go_patch_operation(bad):
    done = graftpy_cli("merge", "--go-patch", "a.yml", "ops.yml", cwd=bad)
    plain = done.stderr
    assert plain.startswith("Merge failed: Expected to find a map key 'zz'")
    done = graftpy_cli("merge", "--show-origin", "--go-patch", "a.yml", "ops.yml", cwd=bad)
    assert done.stderr == "ops.yml:4: " + plain


def test_fan_show_origin_and_set(bad):
    (bad / "src.yml").write_text("meta: {x: 1}\nv: (( grab meta.x ))\n")
    (bad / "tg.yml").write_text("a: 1\n---\nb: (( grab zz ))\n")
    done = graftpy_cli("fan", "--show-origin", "src.yml", "tg.yml", cwd=bad)
    assert done.returncode == 2
    assert " - tg.yml[1]:1: $.b: Unable to resolve `zz`" in done.stderr
    (bad / "tg.yml").write_text("a: 1\n---\nb: 2\n")
    done = graftpy_cli("fan", "--set", "meta.x=5", "src.yml", "tg.yml", cwd=bad)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("v: 5\n") == 2


def test_multi_document_lines_are_the_files_own(bad):
    (bad / "multi.yml").write_text("a: 1\n---\n# second\nc: 3\nd: (( grab nope ))\n")
    done = graftpy_cli("merge", "-m", "--show-origin", "multi.yml", cwd=bad)
    assert " - multi.yml[1]:5: $.d: Unable to resolve `nope`" in done.stderr
