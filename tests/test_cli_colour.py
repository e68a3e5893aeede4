"""Colour on a real terminal: ``--color``, ``NO_COLOR`` and ``TERM=dumb``, for errors
(on stderr) and for ``diff`` (on stdout).

Each run gets a pseudo-terminal as the stream under test, so ``auto`` sees what it
sees on a user's screen.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from graftpy import colour

ESC = "\x1b["


def run_on_terminal(args: list[str], stream: str, cwd: Path, **env: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``graftpy ARGS`` with ``stream`` on a terminal."""
    leader, follower = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "FORCE_COLOR")}
    clean = {k: v for k, v in clean.items() if not k.startswith("GRAFT")}
    plain = subprocess.PIPE
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graftpy", *args],
            cwd=cwd,
            env={**clean, "TERM": "xterm-256color", **env},
            stdin=subprocess.DEVNULL,
            stdout=follower if stream == "stdout" else plain,
            stderr=follower if stream == "stderr" else plain,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has exited
                break
            if not data:
                break
            chunks.append(data)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    if stream == "stdout":
        return proc.returncode, shown, err.decode()
    return proc.returncode, out.decode(), shown


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    (tmp_path / "bad.yml").write_text("a: (( grab nope ))\n")
    return tmp_path


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "a.yml").write_text("name: web\ninstances: 1\n")
    (tmp_path / "b.yml").write_text("name: web\ninstances: 2\n")
    return tmp_path


# merge runs below say --no-progress: on a loaded machine a run can last long enough to
# draw its progress line on the terminal, before the error


def test_errors_are_coloured_on_a_terminal_by_default(bad: Path) -> None:
    rc, _, err = run_on_terminal(["merge", "--no-progress", "bad.yml"], "stderr", bad)
    assert rc == 2
    assert err.startswith("\x1b[00;31m1\x1b[00m error(s) detected:\n")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"NO_COLOR": "yes"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_get_plain_errors(bad: Path, env: dict) -> None:
    rc, _, err = run_on_terminal(["merge", "--no-progress", "bad.yml"], "stderr", bad, **env)
    assert rc == 2
    assert err.startswith("1 error(s) detected:\n") and ESC not in err


def test_an_empty_no_color_does_not_count(bad: Path) -> None:
    _, _, err = run_on_terminal(["merge", "--no-progress", "bad.yml"], "stderr", bad, NO_COLOR="")
    assert err.startswith("\x1b[00;31m1")


def test_the_flag_wins_over_the_environment(bad: Path) -> None:
    _, _, err = run_on_terminal(
        ["--color", "on", "merge", "--no-progress", "bad.yml"], "stderr", bad, NO_COLOR="1"
    )
    assert err.startswith("\x1b[00;31m1")
    _, _, err = run_on_terminal(
        ["--color", "off", "merge", "--no-progress", "bad.yml"], "stderr", bad
    )
    assert ESC not in err


def test_diff_is_coloured_on_a_terminal(pair: Path) -> None:
    rc, out, _ = run_on_terminal(["diff", "a.yml", "b.yml"], "stdout", pair)
    assert rc == 1
    assert ESC in out and "instances" in out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--color", "off"], {}),
        ([], {"NO_COLOR": "1"}),
        ([], {"TERM": "dumb"}),
    ],
)
def test_diff_follows_color_off_no_color_and_dumb_terminals(
    pair: Path, args: list, env: dict
) -> None:
    rc, out, _ = run_on_terminal([*args, "diff", "a.yml", "b.yml"], "stdout", pair, **env)
    assert rc == 1
    assert "instances" in out and ESC not in out


def test_diff_color_on_colours_a_pipe_too(pair: Path) -> None:
    on = subprocess.run(
        [sys.executable, "-m", "graftpy", "--color", "on", "diff", "a.yml", "b.yml"],
        cwd=pair,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert on.returncode == 1 and ESC in on.stdout
    auto = subprocess.run(
        [sys.executable, "-m", "graftpy", "diff", "a.yml", "b.yml"],
        cwd=pair,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ESC not in auto.stdout
    assert [line for line in on.stdout.splitlines() if "instances" in line]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_rules() -> None:
    tty, pipe = Terminal(), io.StringIO()
    assert colour.wanted("auto", tty, {}) is True
    assert colour.wanted("auto", pipe, {}) is False
    assert colour.wanted("auto", tty, {"NO_COLOR": "1"}) is False
    assert colour.wanted("auto", tty, {"TERM": "dumb"}) is False
    assert colour.wanted("on", pipe, {"NO_COLOR": "1", "TERM": "dumb"}) is True
    assert colour.wanted("off", tty, {}) is False
