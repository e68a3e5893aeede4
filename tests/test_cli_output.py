"""Where the output went: stdout, or a file, and then stderr says which (and why)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTICE = "graftpy: wrote manifest.yml (output: in ./graftpy.yml; -o - writes to standard output)\n"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "graftpy.yml").write_text("output: manifest.yml\n")
    (tmp_path / "a.yml").write_text("a: 1\nb: (( grab a ))\n")
    return tmp_path


def test_output_setting_says_where_the_output_went(folder: Path) -> None:
    # the shell's `> out.yml` gets nothing: stderr says where the result is, and why
    done = run(folder, "merge", "a.yml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", NOTICE)
    assert (folder / "manifest.yml").read_text() == "a: 1\nb: 1\n\n"


def test_fan_says_it_too(folder: Path) -> None:
    (folder / "t.yml").write_text("c: (( grab a ))\n")
    done = run(folder, "fan", "a.yml", "t.yml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", NOTICE)
    assert (folder / "manifest.yml").read_text() == "---\na: 1\nb: 1\nc: 1\n\n"


def test_dash_o_dash_sends_it_to_stdout_silently(folder: Path) -> None:
    done = run(folder, "merge", "-o", "-", "a.yml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "a: 1\nb: 1\n\n", "")
    assert not (folder / "manifest.yml").exists()


def test_an_output_flag_is_named_on_stderr(folder: Path) -> None:
    done = run(folder, "merge", "-o", "other.yml", "a.yml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "graftpy: wrote other.yml\n")
    assert (folder / "other.yml").read_text() == "a: 1\nb: 1\n\n"


def test_stdout_output_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("a: 1\n")
    done = run(tmp_path, "merge", "a.yml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "a: 1\n\n", "")


def test_a_failed_run_writes_nothing_and_claims_nothing(folder: Path) -> None:
    (folder / "bad.yml").write_text("a: (( grab nope ))\n")
    done = run(folder, "merge", "bad.yml")
    assert done.returncode == 2
    assert "wrote" not in done.stderr
    assert not (folder / "manifest.yml").exists()
