"""Shared helpers for the benchmark scripts: input generation and timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"
GEN = SHARED_BENCH / "gen_manifest.py"
GRAFTPY = [sys.executable, "-m", "graftpy"]
OUT = ROOT / "bench-out"


def generate(ops: int, shape: str, seed: int = 1, extra: list[str] | None = None) -> Path:
    """Generate (once) a manifest pair; returns the folder holding base.yml/overlay.yml."""
    tag = f"{shape}-{ops}-{seed}" + ("-" + "-".join(extra).replace("-", "") if extra else "")
    out = OUT / tag
    if not (out / "base.yml").exists():
        out.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            str(GEN),
            "--ops",
            str(ops),
            "--shape",
            shape,
            "--seed",
            str(seed),
            "--out",
            str(out),
            *(extra or []),
        ]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def time_command(cmd: list[str], repeat: int = 3, env: dict | None = None) -> float:
    """Median wall time of ``cmd`` in seconds; fails loudly if the command fails."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(
                f"command failed ({proc.returncode}): {' '.join(cmd)}\n"
                f"{proc.stderr.decode()[:2000]}"
            )
    return statistics.median(times)


def merge_cmd(folder: Path, *flags: str) -> list[str]:
    return [*GRAFTPY, "merge", *flags, str(folder / "base.yml"), str(folder / "overlay.yml")]


def compile_package(root: Path = ROOT) -> None:
    """Bring the ``.pyc`` files of ``root/graftpy`` up to date.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in some shells), every module edited
    since its ``.pyc`` was written would otherwise be compiled again in each run
    (up to 30% more instructions), and a tree without them in every run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(root / "graftpy")],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )


def count_instructions(
    cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None
) -> int:
    """Instructions ``cmd`` executes, counted by valgrind's callgrind.

    Unlike wall time, the count does not move with the load on the machine: the
    same binary, input and environment give the same count (to ~0.1%). The
    package's ``.pyc`` files are brought up to date first (``compile_package``).
    ``env``/``cwd``: the command's (default: this process's).
    """
    import re
    import shutil
    import tempfile

    if shutil.which("valgrind") is None:
        raise SystemExit("counting instructions needs valgrind (Debian package valgrind)")
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", *cmd],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
        )
    if done.returncode != 0:
        raise SystemExit(f"command failed under valgrind: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))
