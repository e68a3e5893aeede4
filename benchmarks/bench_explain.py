"""What provenance costs, on the 20 000-operator `mixed` manifest (issue 17).

Generates (once) ``gen_manifest.py --ops 20000 --shape mixed --seed 1`` and runs, round
after round so that the machine's load falls on every command alike:

* ``merge`` with this tree's code and with the baseline's (``--baseline``, default
  ``main``, unpacked with ``git archive``): a plain merge must not get slower (±3%);
* ``explain`` of one leaf at the end of a chain (five operators deep): ≤ 1.5× the merge;
* ``merge --explain-to FILE`` (the whole document): ≤ 2× the merge.

Each figure is the median over the rounds of the wall time and of the CPU time (user +
system) of the command. ``--instructions`` also counts instructions with valgrind's
callgrind: the count does not move with the machine's load (slow: a minute or more per
command).

    python benchmarks/bench_explain.py [--ops 20000] [--rounds 7] [--baseline main]
                                       [--instructions]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from _common import GRAFTPY, ROOT, count_instructions, generate

LEAF = "chains.c0001.s004"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of ``cmd``; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def unpack(ref: str, into: Path) -> Path:
    """The ``graftpy`` package of git ``ref``, unpacked under ``into``."""
    archive = into / "src.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", ref, "graftpy"], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "graftpy")], check=True)
    return into


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--baseline", default="main", help="git ref to compare the plain merge with")
    ap.add_argument("--instructions", action="store_true", help="also count instructions")
    args = ap.parse_args()

    folder = generate(args.ops, "mixed")
    files = [str(folder / "base.yml"), str(folder / "overlay.yml")]
    with tempfile.TemporaryDirectory() as tmp:
        base = unpack(args.baseline, Path(tmp))
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
        ours = {**env, "PYTHONPATH": str(ROOT)}
        theirs = {**env, "PYTHONPATH": str(base)}
        why = str(Path(tmp) / "why.json")
        commands = {
            "merge (baseline)": ([*GRAFTPY, "merge", *files], theirs),
            "merge": ([*GRAFTPY, "merge", *files], ours),
            "explain one leaf": ([*GRAFTPY, "explain", LEAF, *files], ours),
            "merge --explain-to": ([*GRAFTPY, "merge", "--explain-to", why, *files], ours),
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (cmd, cmd_env) in commands.items():
                times[name].append(run(cmd, cmd_env))
        counts = {}
        if args.instructions:
            for name, (cmd, cmd_env) in commands.items():
                os.environ["PYTHONPATH"] = cmd_env["PYTHONPATH"]
                counts[name] = count_instructions(cmd)
            os.environ.pop("PYTHONPATH", None)

    print(f"manifest: {folder} ({args.ops} operators), {args.rounds} interleaved rounds")
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }
    merge_wall, merge_cpu = medians["merge"]
    print(f"{'command':22} {'wall s':>8} {'cpu s':>8} {'wall ×':>8} {'cpu ×':>8}", end="")
    print(f" {'instructions':>16} {'instr ×':>8}" if counts else "")
    for name, (wall, cpu) in medians.items():
        line = f"{name:22} {wall:8.3f} {cpu:8.3f} {wall / merge_wall:8.3f} {cpu / merge_cpu:8.3f}"
        if counts:
            line += f" {counts[name]:16,} {counts[name] / counts['merge']:8.3f}"
        print(line)
    print("targets: merge vs baseline within ±3%; explain one leaf ≤ 1.5×; --explain-to ≤ 2×")


if __name__ == "__main__":
    main()
