"""Running one example through graft and through graftpy, and comparing what they print.

Both tools get the same folder (the example's files, written afresh), the same
arguments, the same standard input and the same clean environment: ``PATH``,
``HOME`` (an empty folder), ``PWD`` and the example's own variables, as the
conformance runner gives them. Their stdout, stderr and exit code are compared
byte for byte.

graft runs as a subprocess. graftpy runs either as a subprocess of the venv's
``graftpy`` script, or (``fork``, the default, ~20x faster) in a child forked
from this process with graftpy already imported: the child gets its own folder,
environment, file descriptors 0-2 and ``sys.argv`` and then calls the console
script's own entry point (``graftpy.console.run``), which ends the process with
``os._exit``. What the child prints is what the script prints;
``--check-runner`` in the driver shows it on a sample.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .example import Example

REFERENCE_DIRS = (Path.home() / ".cache" / "reference-bin", Path("/root/.cache/reference-bin"))
TIMEOUT = 20.0
REPO = Path(__file__).resolve().parents[2]
# values for placeholders in an example's env besides {cwd} (the driver sets vault_addr, ...)
CONTEXT: dict[str, str] = {}


@dataclass(frozen=True)
class Outcome:
    rc: int
    stdout: bytes
    stderr: bytes

    @property
    def timed_out(self) -> bool:
        return self.rc == -signal.SIGALRM or self.rc == -signal.SIGKILL

    def text(self, stream: str) -> str:
        return getattr(self, stream).decode("utf-8", errors="backslashreplace")


def find_graft(explicit: str | None = None) -> str | None:
    """The reference graft binary: ``explicit``, ``$GRAFT_REFERENCE``, or the unpacked copy."""
    for candidate in (explicit, os.environ.get("GRAFT_REFERENCE")):
        if candidate:
            return candidate if os.access(candidate, os.X_OK) else None
    for folder in REFERENCE_DIRS:
        path = folder / "graft"
        if os.access(path, os.X_OK):
            return str(path)
    return None


def graftpy_script() -> str:
    """The venv's ``graftpy`` console script (beside the running interpreter)."""
    return str(Path(sys.executable).with_name("graftpy"))


class Workspace:
    """A scratch folder per run: the example's files, and an empty ``HOME``."""

    def __init__(self, example: Example) -> None:
        self.example = example
        self.root = Path(tempfile.mkdtemp(prefix="graftdiff-"))
        self.cwd = self.root / "work"
        self.home = self.root / "home"

    def __enter__(self) -> Workspace:
        self.cwd.mkdir()
        self.home.mkdir()
        for name, content in self.example.files:
            path = self.cwd / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8", errors="surrogateescape"))
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def env(self) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home)}
        env["PWD"] = str(self.cwd)
        for name, value in self.example.env:
            for key, filler in {**CONTEXT, "cwd": str(self.cwd)}.items():
                value = value.replace("{" + key + "}", filler)
            env[name] = value
        return env

    def stdin(self) -> bytes:
        return (self.example.stdin or "").encode("utf-8", errors="surrogateescape")


def run_graft(example: Example, graft: str) -> Outcome:
    with Workspace(example) as ws:
        return _subprocess([graft, *example.args], ws)


def run_graftpy(example: Example, runner: str = "fork") -> Outcome:
    with Workspace(example) as ws:
        if runner == "subprocess":
            return _subprocess([graftpy_script(), *example.args], ws)
        return _forked(list(example.args), ws)


def run_both(example: Example, graft: str, runner: str = "fork") -> tuple[Outcome, Outcome]:
    return run_graft(example, graft), run_graftpy(example, runner)


def _subprocess(argv: list[str], ws: Workspace) -> Outcome:
    feed = {"stdin": subprocess.DEVNULL} if ws.example.stdin is None else {"input": ws.stdin()}
    try:
        proc = subprocess.run(
            argv, cwd=ws.cwd, env=ws.env(), capture_output=True, timeout=TIMEOUT, **feed
        )
    except subprocess.TimeoutExpired as exc:
        return Outcome(-signal.SIGKILL, exc.stdout or b"", exc.stderr or b"")
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def preload() -> None:
    """Import what a merge needs once, so that each forked child starts warm."""
    import graftpy.cli  # noqa: F401
    import graftpy.commands.merge  # noqa: F401
    import graftpy.console  # noqa: F401
    import graftpy.pipeline  # noqa: F401


def _forked(args: list[str], ws: Workspace) -> Outcome:
    preload()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with tempfile.TemporaryFile() as inp:
            inp.write(ws.stdin())
            inp.seek(0)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # the child: become `graftpy ARGS` and never return
                _become_graftpy(args, ws, inp.fileno(), out.fileno(), err.fileno())
            status = _wait(pid)
        out.seek(0)
        err.seek(0)
        return Outcome(status, out.read(), err.read())


def _become_graftpy(args: list[str], ws: Workspace, fd_in: int, fd_out: int, fd_err: int) -> None:
    try:
        signal.alarm(int(TIMEOUT))  # SIGALRM's default action ends a run that hangs
        os.chdir(ws.cwd)
        env = ws.env()
        if ws.example.stdin is None:
            fd_in = os.open(os.devnull, os.O_RDONLY)
        os.dup2(fd_in, 0)
        os.dup2(fd_out, 1)
        os.dup2(fd_err, 2)
        os.environ.clear()
        os.environ.update(env)
        # what a fresh interpreter opens in the C locale (UTF-8 mode, PEP 540)
        sys.stdin = io.TextIOWrapper(
            io.BufferedReader(io.FileIO(0, "r", closefd=False)),
            encoding="utf-8",
            errors="surrogateescape",
        )
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
            encoding="utf-8",
            errors="surrogateescape",
        )
        sys.stderr = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
            encoding="utf-8",
            errors="backslashreplace",
            line_buffering=True,
        )
        sys.argv = [graftpy_script(), *args]
        from graftpy.console import run

        run()
    except BaseException:  # never fall back into the parent's code
        os._exit(99)
    os._exit(98)


def _wait(pid: int) -> int:
    deadline = time.monotonic() + TIMEOUT + 5
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL
        time.sleep(0.002)
