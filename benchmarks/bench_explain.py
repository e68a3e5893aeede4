"""What provenance costs, on the 20 000-operator `mixed` manifest (issue 17).

Generates (once) ``gen_manifest.py --ops 20000 --shape mixed --seed 1`` and runs, round
after round so that the machine's load falls on every command alike:

* ``merge`` with this tree's code and with the baseline's (``--baseline``, default
  ``main``, unpacked with ``git archive``): a plain merge must not get slower (±3%);
* ``explain`` of one leaf at the end of a chain (five operators deep): ≤ 1.5× the merge;
* ``merge --explain-to FILE`` (the whole document): ≤ 2× the merge.

Both trees run from compiled ``.pyc`` files (``compileall`` first) and from a folder of
their own, so that neither compiles its modules in every run nor imports the other's
(``python -m`` puts the working folder first on ``sys.path``).

Each figure is the median over the rounds of the wall time and of the CPU time (user +
system) of the command; each ratio is to this tree's plain merge. ``--instructions``
also counts instructions with valgrind's callgrind: the count does not move with the
machine's load (slow: a minute or more per command).

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

from _common import GRAFTPY, ROOT, compile_package, count_instructions, generate

LEAF = "chains.c0001.s004"
# issue 17's targets, as ratios to this tree's plain merge
TARGETS = {"merge (baseline)": "1 ± 0.03", "explain one leaf": "≤ 1.5", "merge --explain-to": "≤ 2"}


def run(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall, cpu) seconds of ``cmd``; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def unpack(ref: str, into: Path) -> Path:
    """The ``graftpy`` package of git ``ref``, unpacked under ``into`` and compiled."""
    into.mkdir()
    archive = into / "src.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", ref, "graftpy"], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    compile_package(into)
    return into


def check_imports(env: dict[str, str], cwd: str, tree: Path) -> None:
    """The command imports ``graftpy`` from ``tree``, and from its compiled files."""
    probe = "import graftpy, importlib.util as u, os; f = graftpy.__file__; "
    probe += "print(f, os.path.exists(u.cache_from_source(f)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=cwd, capture_output=True, text=True
    )
    found = done.stdout.split()
    if done.returncode != 0 or Path(found[0]).parent.parent != tree or found[1] != "True":
        raise SystemExit(f"graftpy is not imported compiled from {tree}: {done.stdout}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--baseline", default="main", help="git ref to compare the plain merge with")
    ap.add_argument("--instructions", action="store_true", help="also count instructions")
    args = ap.parse_args()

    folder = generate(args.ops, "mixed")
    files = [str(folder / "base.yml"), str(folder / "overlay.yml")]
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        base = unpack(args.baseline, Path(tmp) / "baseline")
        cwd = tmp  # no graftpy here: each command imports its own tree's
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
        env["PYTHONSAFEPATH"] = "1"  # and -m does not put the working folder first
        ours = {**env, "PYTHONPATH": str(ROOT)}
        theirs = {**env, "PYTHONPATH": str(base)}
        check_imports(ours, cwd, ROOT)
        check_imports(theirs, cwd, base)
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
                times[name].append(run(cmd, cmd_env, cwd))
        counts = {}
        if args.instructions:
            for name, (cmd, cmd_env) in commands.items():
                counts[name] = count_instructions(cmd, env=cmd_env, cwd=cwd)

    print(f"manifest: {folder} ({args.ops} operators), {args.rounds} interleaved rounds")
    print(f"baseline: {args.baseline}; each ratio (×) is to this tree's plain merge")
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }
    merge_wall, merge_cpu = medians["merge"]
    header = f"{'command':20} {'wall s':>7} {'wall ×':>7} {'cpu s':>7} {'cpu ×':>7}"
    if counts:
        header += f" {'instructions':>15} {'instr ×':>7}"
    print(header + f" {'target':>8}")
    for name, (wall, cpu) in medians.items():
        line = f"{name:20} {wall:7.3f} {wall / merge_wall:7.3f} {cpu:7.3f} {cpu / merge_cpu:7.3f}"
        if counts:
            line += f" {counts[name]:15,} {counts[name] / counts['merge']:7.3f}"
        print(line + f" {TARGETS.get(name, ''):>8}")
    print("merge (baseline) ≈ 1: this tree's plain merge is as fast as the baseline's")


if __name__ == "__main__":
    main()
