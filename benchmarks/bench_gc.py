"""The collector threshold the console script sets (``graftpy/console.py``).

Runs the same ``graftpy merge`` two ways, in adjacent pairs so that a noisy
moment hits both alike:

* tuned: ``graftpy.console.run``, as the console script calls it (threshold 50,000);
* default: ``graftpy.cli.run``, the same run with CPython's threshold of 700.

For the 20k-operator ``mixed`` manifest it prints the median wall time of each,
the median of the pair ratios, and peak memory (max RSS of the child process);
for a 3-line file, the instruction counts under callgrind (``--instructions``).

    python benchmarks/bench_gc.py [--ops 20000] [--pairs 9] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import count_instructions, generate

# what the console script does, from graftpy.console (tuned) or graftpy.cli (not)
SCRIPT = "import sys; from graftpy.{} import run; sys.argv[0] = 'graftpy'; run()"


def commands(files: list[str]) -> dict[str, list[str]]:
    return {
        "tuned": [sys.executable, "-c", SCRIPT.format("console"), "merge", *files],
        "default": [sys.executable, "-c", SCRIPT.format("cli"), "merge", *files],
    }


def run_pair(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run (os.wait4 reports the child's own)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr.decode()[:2000]}")
    return wall, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--pairs", type=int, default=9)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()

    folder = generate(args.ops, "mixed")
    cmds = commands([str(folder / "base.yml"), str(folder / "overlay.yml")])
    walls: dict[str, list[float]] = {"tuned": [], "default": []}
    rss: dict[str, list[int]] = {"tuned": [], "default": []}
    for i in range(args.pairs):
        order = ["tuned", "default"] if i % 2 == 0 else ["default", "tuned"]
        for label in order:
            wall, peak = run_pair(cmds[label])
            walls[label].append(wall)
            rss[label].append(peak)
    ratios = [t / d for t, d in zip(walls["tuned"], walls["default"], strict=True)]
    print(f"graftpy merge, {args.ops} mixed operators, {args.pairs} adjacent pairs:")
    for label in ("default", "tuned"):
        print(
            f"  {label:8} median {statistics.median(walls[label]):6.2f} s   "
            f"peak RSS {statistics.median(rss[label]) / 1024:6.1f} MiB"
        )
    print(f"  tuned / default, median of pair ratios: {statistics.median(ratios):.3f}")
    mem = statistics.median(rss["tuned"]) / statistics.median(rss["default"])
    print(f"  peak memory, tuned / default: {mem:.3f}")

    if args.instructions:
        with tempfile.TemporaryDirectory() as tmp:
            small = Path(tmp) / "small.yml"
            small.write_text("a: 1\nb: two\nc: [x, y]\n")
            counts = {
                label: count_instructions(cmd) for label, cmd in commands([str(small)]).items()
            }
        print("graftpy merge of a 3-line file, instructions (callgrind):")
        for label, count in counts.items():
            print(f"  {label:8} {count / 1e6:7.1f} M")
        print(f"  tuned / default: {counts['tuned'] / counts['default']:.3f}")


if __name__ == "__main__":
    main()
