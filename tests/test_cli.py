"""The command line as a user meets it: outputs, exit codes, errors, --output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def graftpy(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def files(tmp_path: Path):
    def make(**contents: str) -> list[str]:
        paths = []
        for name, text in contents.items():
            p = tmp_path / f"{name}.yml"
            p.write_text(text)
            paths.append(str(p))
        return paths

    return make


def test_merge_prints_graft_yaml_with_trailing_blank_line(files) -> None:
    a, b = files(a="x: 1\nlist: [a, b]\n", b="z: (( grab x ))\n")
    out = graftpy("merge", a, b)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "list:\n- a\n- b\nx: 1\nz: 1\n\n"


def test_merge_reads_stdin_when_given_dash(files) -> None:
    (a,) = files(a="first: file\n")
    out = graftpy("merge", a, "-", stdin="second: stdin\n")
    assert out.stdout == "first: file\nsecond: stdin\n\n"


def test_errors_are_graft_formatted_and_exit_2(files) -> None:
    (a,) = files(a="a: (( grab nope ))\nb: (( grab nada ))\n")
    out = graftpy("merge", a)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == (
        "2 error(s) detected:\n"
        " - $.a: Unable to resolve `nope`: `$.nope` could not be found in the datastructure\n"
        " - $.b: Unable to resolve `nada`: `$.nada` could not be found in the datastructure\n"
        "\n\n"
    )


def test_missing_file_is_named(files) -> None:
    out = graftpy("merge", "does-not-exist.yml")
    assert out.returncode == 2
    assert "does-not-exist.yml" in out.stderr
    assert "Traceback" not in out.stderr


def test_yaml_syntax_error_names_file_line_and_column(files) -> None:
    (bad,) = files(bad="a: [1, 2\nb: 3\n")
    out = graftpy("merge", bad)
    assert out.returncode == 2
    assert "bad.yml" in out.stderr and "line" in out.stderr and "column" in out.stderr
    assert "Traceback" not in out.stderr


def test_output_file_written_on_success(files, tmp_path: Path) -> None:
    (a,) = files(a="a: 1\n")
    target = tmp_path / "out.yml"
    out = graftpy("merge", "--output", str(target), a)
    assert out.returncode == 0 and out.stdout == ""
    assert target.read_text() == "a: 1\n\n"


def test_failed_run_leaves_existing_output_untouched(files, tmp_path: Path) -> None:
    (bad,) = files(bad="a: (( grab missing ))\n")
    target = tmp_path / "out.yml"
    target.write_text("previous: content\n")
    out = graftpy("merge", "-o", str(target), bad)
    assert out.returncode == 2
    assert target.read_text() == "previous: content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yml", "out.yml"]


def test_failed_run_creates_no_output_file(files, tmp_path: Path) -> None:
    (bad,) = files(bad="a: (( grab missing ))\n")
    target = tmp_path / "new.yml"
    assert graftpy("merge", "-o", str(target), bad).returncode == 2
    assert not target.exists()


def test_unknown_command_prints_usage_and_exits_1() -> None:
    out = graftpy("frobnicate")
    assert out.returncode == 1
    assert "Usage:" in out.stderr


def test_version() -> None:
    out = graftpy("--version")
    assert out.returncode == 0 and out.stdout.startswith("graftpy - Version ")


def test_preserve_order_keeps_first_seen_key_order(files) -> None:
    a, b = files(a="zeta: 1\nalpha: 2\n", b="mid: 3\nzeta: 4\n")
    assert graftpy("merge", a, b).stdout == "alpha: 2\nmid: 3\nzeta: 4\n\n"
    assert graftpy("merge", "--preserve-order", a, b).stdout == "zeta: 4\nalpha: 2\nmid: 3\n\n"


def test_help_explains_flags_with_an_example() -> None:
    out = graftpy("merge", "--help")
    assert out.returncode == 0
    for flag in (
        "--prune",
        "--cherry-pick",
        "--skip-eval",
        "--fallback-append",
        "--go-patch",
        "--multi-doc",
        "--output",
        "--preserve-order",
    ):
        assert flag in out.stdout
    assert "Example" in out.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_behind_stdout_is_a_clear_error(files) -> None:
    (path,) = files(doc="a: 1\n")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "graftpy", "merge", path],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == "graftpy: cannot write the output: No space left on device\n"


def test_a_reader_that_goes_away_is_no_error(files) -> None:
    (path,) = files(doc="".join(f"key{i}: {'x' * 60}\n" for i in range(5000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "graftpy", "merge", path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(10)
    proc.stdout.close()  # like `graftpy merge ... | head -c 10`
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    proc.stderr.close()
