"""Progress on stderr: what is drawn, when, and never into stdout or a CI log unasked."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from graftpy import progress
from graftpy.progress import Reporter


class FakeBackends:
    def __init__(self, *in_flight: int) -> None:
        self._backends = [
            SimpleNamespace(concurrency=SimpleNamespace(in_flight=n)) for n in in_flight
        ]

    def all(self) -> list:
        return self._backends


def state_with(*in_flight: int) -> SimpleNamespace:
    return SimpleNamespace(extra={"backends": FakeBackends(*in_flight)})


def test_text_counts_operations_and_secret_fetches() -> None:
    r = Reporter(io.StringIO(), live=True)
    assert r.text() == ""  # nothing before the first phase
    r.phase_started("eval", 200, state_with(2, 1))
    for _ in range(50):
        r.operation_done()
    assert r.text() == "graftpy: eval 50/200 operations, 3 secret fetches in flight"
    r.phase_started("eval", 10, state_with(1))
    assert r.text() == "graftpy: eval 0/10 operations, 1 secret fetch in flight"
    r.phase_started("param", 4, SimpleNamespace(extra={}))  # no backend made yet
    assert r.text() == "graftpy: param 0/4 operations"


def test_counting_is_thread_safe() -> None:
    r = Reporter(io.StringIO(), live=True)
    r.phase_started("eval", 8000)

    def work() -> None:
        for _ in range(1000):
            r.operation_done()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert r.done == 8000


def test_live_drawing_redraws_in_place_and_erases_itself() -> None:
    out = io.StringIO()
    r = Reporter(out, live=True)
    r.phase_started("eval", 3)
    r.operation_done()
    r.draw()
    r.draw()  # unchanged: not drawn again
    r.operation_done()
    r.draw()
    r.clear()
    assert out.getvalue() == (
        "\rgraftpy: eval 1/3 operations\x1b[K\rgraftpy: eval 2/3 operations\x1b[K\r\x1b[K"
    )


def test_short_runs_draw_nothing() -> None:
    out = io.StringIO()
    with progress.reporting(out, live=True, delay=5.0):
        progress.phase_started("eval", 1)
        progress.operation_done()
    assert out.getvalue() == ""


def test_long_runs_are_drawn_and_the_line_is_gone_at_the_end() -> None:
    out = io.StringIO()
    with progress.reporting(out, live=True, delay=0.0):
        progress.phase_started("eval", 2)
        progress.operation_done()
        time.sleep(0.3)
    text = out.getvalue()
    assert "\rgraftpy: eval 1/2 operations\x1b[K" in text
    assert text.endswith("\r\x1b[K")


def test_log_mode_writes_plain_lines_and_a_final_count() -> None:
    out = io.StringIO()
    with progress.reporting(out, live=False, delay=0.0):
        progress.phase_started("eval", 2)
        time.sleep(0.2)
        progress.operation_done()
        progress.operation_done()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()
    assert lines[0] == "graftpy: eval 0/2 operations"
    assert lines[-1] == "graftpy: eval 2/2 operations"


def test_module_hooks_are_no_ops_when_off() -> None:
    assert progress._active is None
    progress.phase_started("eval", 5)  # nothing to report to: must not fail
    progress.operation_done()


def test_a_broken_stream_does_not_break_the_run() -> None:
    class Broken(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError("gone")

    with progress.reporting(Broken(), live=True, delay=0.0):
        progress.phase_started("eval", 1)
        time.sleep(0.15)


def test_wanted_follows_the_flag_then_the_terminal() -> None:
    assert progress.wanted(True, io.StringIO()) is True
    assert progress.wanted(False, io.StringIO()) is False
    assert progress.wanted(None, io.StringIO()) is False  # not a terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress.wanted(None, Tty()) is True


# -- through the command line ----------------------------------------------------------


def big_manifest(tmp_path: Path, n: int = 30000) -> Path:
    path = tmp_path / "big.yml"
    lines = ["meta: {x: 1}"] + [f'k{i}: (( concat "a" meta.x ))' for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_progress_flag_writes_to_stderr_only(tmp_path: Path) -> None:
    doc = big_manifest(tmp_path, 20000)  # long enough (> 0.5 s) to be drawn
    shown = run("merge", "--progress", str(doc))
    assert shown.returncode == 0
    assert shown.stdout.startswith("k0: a1\nk1: a1\n")  # the output is untouched
    assert shown.stdout.endswith("k19999: a1\nmeta:\n  x: 1\n\n")
    assert shown.stderr.splitlines()[-1] == "graftpy: eval 20000/20000 operations"


def test_no_progress_unless_stderr_is_a_terminal_or_asked(tmp_path: Path) -> None:
    doc = big_manifest(tmp_path, 50)
    assert run("merge", str(doc)).stderr == ""  # stderr is a pipe here
    assert run("merge", "--no-progress", str(doc)).stderr == ""
