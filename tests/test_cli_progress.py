"""Progress on stderr: what is drawn, when, and never into stdout or a CI log unasked."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

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


class Clock:
    """A clock the test moves by hand: drawing decisions never depend on the machine."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_text_says_the_phase_its_counts_and_secret_fetches() -> None:
    r = Reporter(io.StringIO(), live=True)
    assert r.text() == ""  # nothing before the first phase
    r.phase_started("read", 2, unit="files")
    r.detail("envs/prod.yml")
    r.operation_done()
    assert r.text() == "graftpy: read 1/2 files: envs/prod.yml"
    r.phase_started("scan", None)
    assert r.text() == "graftpy: scan"  # a phase that cannot count
    r.phase_started("eval phase", 200, state_with(2, 1))
    for _ in range(50):
        r.operation_done()
    assert r.text() == "graftpy: eval phase 50/200 operations, 3 secret fetches in flight"
    r.phase_started("eval phase", 10, state_with(1))
    assert r.text() == "graftpy: eval phase 0/10 operations, 1 secret fetch in flight"
    r.phase_started("param phase", 4, SimpleNamespace(extra={}))  # no backend made yet
    assert r.text() == "graftpy: param phase 0/4 operations"


def test_counting_is_thread_safe() -> None:
    r = Reporter(io.StringIO(), live=True)
    r.phase_started("eval phase", 8000)

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
    out, clock = io.StringIO(), Clock()
    r = Reporter(out, live=True, clock=clock)
    r.phase_started("eval phase", 3)
    r.operation_done()
    r.draw()
    r.draw()  # unchanged: not drawn again
    r.operation_done()
    clock.now += 1
    r.draw()
    r.clear()
    assert out.getvalue() == (
        "\rgraftpy: eval phase 1/3 operations (0 s)\x1b[K"
        "\rgraftpy: eval phase 2/3 operations (1 s)\x1b[K\r\x1b[K"
    )


def test_a_dumb_terminal_gets_no_escape_codes() -> None:
    out = io.StringIO()
    r = Reporter(out, live=True, escapes=False, clock=Clock())
    r.phase_started("read", 1, unit="files")
    r.detail("a-long-file-name.yml")
    r.draw()
    r.detail("b.yml")
    r.draw()
    r.clear()
    first = "graftpy: read 0/1 files: a-long-file-name.yml (0 s)"
    second = "graftpy: read 0/1 files: b.yml (0 s)"
    assert out.getvalue() == (f"\r{first}\r{second.ljust(len(first))}\r{' ' * len(second)}\r")
    assert "\x1b" not in out.getvalue()


def test_a_log_gets_a_line_every_interval_even_in_one_long_phase() -> None:
    out, clock = io.StringIO(), Clock()
    r = Reporter(out, live=False, interval=2.0, clock=clock)
    r.tick()  # before any phase: nothing to say
    r.phase_started("read", 1, unit="files")
    r.detail("big.yml")
    r.tick()
    clock.now += 1.5
    r.tick()  # too soon
    clock.now += 1.0
    r.tick()  # the same phase, later: said again, with the time
    r.operation_done()
    r.phase_started("merge", 1, unit="documents")
    r.operation_done()
    r.phase_started("eval phase", 2)
    r.operation_done()
    r.operation_done()
    clock.now += 3.0
    r.tick()
    assert out.getvalue().splitlines() == [
        "graftpy: read 0/1 files: big.yml (0 s)",
        "graftpy: read 0/1 files: big.yml (2 s)",
        "graftpy: eval phase 2/2 operations (6 s)",
    ]


def test_a_log_ends_with_a_summary_of_every_phase() -> None:
    out, clock = io.StringIO(), Clock()
    r = Reporter(out, live=False, clock=clock)
    for name, total, unit in [
        ("read", 2, "files"),
        ("merge", 2, "documents"),
        ("scan", None, "operations"),
        ("plan eval phase", 3, "operations"),
        ("eval phase", 3, "operations"),
        ("write", None, "operations"),
    ]:
        r.phase_started(name, total, unit=unit)
        for _ in range(total or 0):
            r.operation_done()
    clock.now += 2.5
    r.stop(succeeded=True)
    assert out.getvalue() == (
        "graftpy: done in 2.5 s: 2 files read, 2 documents merged, 3 operations evaluated\n"
    )
    assert [name for name, _ in r.history] == [
        "read",
        "merge",
        "scan",
        "plan eval phase",
        "eval phase",
        "write",
    ]


def test_a_failed_run_ends_without_a_summary() -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError), progress.reporting(out, live=False, delay=60.0):
        progress.phase_started("read", 1, unit="files")
        raise RuntimeError("boom")
    assert out.getvalue() == ""


def test_short_runs_draw_nothing_on_a_terminal() -> None:
    out = io.StringIO()
    with progress.reporting(out, live=True, delay=60.0):
        progress.phase_started("eval phase", 1)
        progress.operation_done()
    assert out.getvalue() == ""


def test_the_drawing_thread_draws_and_the_line_is_gone_at_the_end() -> None:
    out = io.StringIO()
    with progress.reporting(out, live=True, delay=0.0):
        progress.phase_started("eval phase", 2)
        progress.operation_done()
        deadline = time.monotonic() + 30  # however loaded the machine: until it has drawn
        while "eval phase 1/2" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    text = out.getvalue()
    assert "\rgraftpy: eval phase 1/2 operations (" in text
    assert text.endswith("\r\x1b[K")


def test_module_hooks_are_no_ops_when_off() -> None:
    assert progress._active is None
    progress.phase_started("eval phase", 5)  # nothing to report to: must not fail
    progress.detail("x")
    progress.operation_done()


def test_a_broken_stream_does_not_break_the_run() -> None:
    class Broken(io.StringIO):
        def write(self, s: str) -> int:
            raise OSError("gone")

    with progress.reporting(Broken(), live=False, delay=0.0):
        progress.phase_started("eval phase", 1)
        time.sleep(0.15)


def test_wanted_follows_the_flag_then_the_terminal() -> None:
    assert progress.wanted(True, io.StringIO()) is True
    assert progress.wanted(False, io.StringIO()) is False
    assert progress.wanted(None, io.StringIO()) is False  # not a terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert progress.wanted(None, Tty()) is True


# -- every phase of a real run reports --------------------------------------------------------


def phases_of(files: list[str], options=None) -> list[tuple[str, int]]:
    from graftpy.pipeline import run_merge

    with progress.reporting(io.StringIO(), live=False, delay=3600.0) as reporter:
        run_merge(files, options)
    return reporter.history


def test_a_run_reports_reading_merging_planning_and_evaluating(tmp_path: Path) -> None:
    base = tmp_path / "base.yml"
    base.write_text("meta: {x: 1}\n" + "".join(f"k{i}: (( grab meta.x ))\n" for i in range(5)))
    overlay = tmp_path / "overlay.yml"
    overlay.write_text('name: (( param "say" ))\n---\nname: web\n')
    from graftpy.pipeline import MergeOptions

    assert phases_of([str(base), str(overlay)], MergeOptions(multi_doc=True)) == [
        ("read", 2),
        ("merge", 3),  # three documents: -m splits the overlay
        ("scan", 0),
        ("plan eval phase", 5),
        ("eval phase", 5),
    ]


def test_inject_adds_the_merge_phase_and_a_second_scan(tmp_path: Path) -> None:
    doc = tmp_path / "d.yml"
    doc.write_text("meta: {a: {x: 1}}\nb:\n  <<<: (( inject meta.a ))\n  y: (( grab meta.a.x ))\n")
    assert phases_of([str(doc)]) == [
        ("read", 1),
        ("merge", 1),
        ("scan", 0),
        ("plan merge phase", 1),
        ("merge phase", 1),
        ("scan", 0),
        ("plan eval phase", 1),
        ("eval phase", 1),
    ]


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


# what a progress line may say (the lines between depend on the machine's speed)
LINE = re.compile(
    r"graftpy: (read \d+/\d+ files: .+|merge \d+/\d+ documents: .+|scan"
    r"|(plan )?(merge|param|eval) phase \d+/\d+ operations|write: .+) \(\d+ s\)"
)
SUMMARY = re.compile(
    r"graftpy: done in \d+\.\d s: 1 file read, 1 document merged, 20000 operations evaluated"
)


def test_progress_flag_writes_to_stderr_only(tmp_path: Path) -> None:
    doc = big_manifest(tmp_path, 20000)
    shown = run("merge", "--progress", str(doc))
    assert shown.returncode == 0
    assert shown.stdout.startswith("k0: a1\nk1: a1\n")  # the output is untouched
    assert shown.stdout.endswith("k19999: a1\nmeta:\n  x: 1\n\n")
    *lines, last = shown.stderr.splitlines()
    # however fast or slow the run: --progress in a log always ends with the final count
    assert SUMMARY.fullmatch(last), last
    assert all(LINE.fullmatch(line) for line in lines), lines


def test_progress_of_a_failed_run_ends_with_the_error(tmp_path: Path) -> None:
    doc = tmp_path / "bad.yml"
    doc.write_text("a: (( grab nope ))\n")
    shown = run("merge", "--progress", str(doc))
    assert shown.returncode == 2
    assert "done in" not in shown.stderr
    assert shown.stderr.endswith("could not be found in the datastructure\n\n\n")


def test_no_progress_unless_stderr_is_a_terminal_or_asked(tmp_path: Path) -> None:
    doc = big_manifest(tmp_path, 50)
    assert run("merge", str(doc)).stderr == ""  # stderr is a pipe here
    assert run("merge", "--no-progress", str(doc)).stderr == ""
