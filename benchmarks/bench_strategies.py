"""The parallel strategies on a CPU-bound document: evaluation time against sequential.

    python benchmarks/bench_strategies.py [--ops 20000] [--shape mixed] [--rounds 9]
        [--workers 0]

gen_manifest's ``mixed`` document has no I/O: every operator is a few
microseconds of Python. Threads cannot run Python in parallel under the GIL, so
the best a strategy can do here is cost nothing. Each run merges the sources
afresh and evaluates them. Each strategy is timed in adjacent pairs with a
sequential run, the pair's order alternating, so that drift of a shared machine
hits both alike; the script prints the median times and the median of the
per-pair ratios.
Target: adaptive within 5% of sequential.
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import generate  # noqa: E402
from graftpy.evaluator import EvaluationOptions, Evaluator, Settings  # noqa: E402
from graftpy.evaluator.scheduler import make_executor  # noqa: E402
from graftpy.pipeline import MergeOptions, load_sources, merge_sources  # noqa: E402

MODES = ("sequential", "conservative", "aggressive", "adaptive")


def evaluate(sources: list, mode: str, workers: int) -> tuple[float, str]:
    """Merge afresh, evaluate in ``mode``; returns (seconds, the output's repr)."""
    merger = merge_sources(copy.deepcopy(sources), MergeOptions(env={}))
    options = EvaluationOptions()
    if mode != "sequential":
        options.executor = make_executor(
            {
                "GRAFT_PARALLEL": "true",
                "GRAFT_PARALLEL_STRATEGY": mode,
                "GRAFT_PARALLEL_WORKERS": str(workers),
            }
        )
    evaluator = Evaluator(merger.tree, Settings(env={}), options)
    gc.collect()
    start = time.perf_counter()
    errors = evaluator.run()
    seconds = time.perf_counter() - start
    if errors:
        raise SystemExit(f"the benchmark document has errors: {errors[:3]}")
    return seconds, repr(merger.tree)


def paired(sources: list, mode: str, rounds: int, workers: int) -> tuple[list, list, bool]:
    """``rounds`` adjacent pairs (sequential, ``mode``), the order alternating per round."""
    base, other, same = [], [], True
    for round_no in range(rounds):
        pair = ("sequential", mode) if round_no % 2 == 0 else (mode, "sequential")
        got = {m: evaluate(sources, m, workers) for m in pair}
        base.append(got["sequential"][0])
        other.append(got[mode][0])
        same &= got["sequential"][1] == got[mode][1]
    return base, other, same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--shape", default="mixed")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--workers", type=int, default=0, help="0: the default (one per CPU)")
    args = parser.parse_args()

    folder = generate(args.ops, args.shape)
    sources = load_sources([str(folder / "base.yml"), str(folder / "overlay.yml")], MergeOptions())
    for mode in MODES:  # warm-up: imports, parse caches
        evaluate(sources, mode, args.workers)
    print(
        f"{args.shape} {args.ops} ops, evaluation only, {args.rounds} adjacent pairs per strategy"
    )
    ratios = {}
    for mode in MODES[1:]:
        base, other, same = paired(sources, mode, args.rounds, args.workers)
        ratio = statistics.median(o / b for o, b in zip(other, base, strict=True))
        ratios[mode] = ratio
        print(
            f"  {mode:<13} median {statistics.median(other):6.3f} s"
            f"  (sequential {statistics.median(base):6.3f} s)"
            f"   x{ratio:.3f} of sequential   output {'identical' if same else 'DIFFERENT'}"
        )
    verdict = "OK" if ratios["adaptive"] <= 1.05 else "OVER"
    print(
        f"adaptive vs sequential: {100 * (ratios['adaptive'] - 1):+.1f}%"
        f" (target within 5%): {verdict}"
    )


if __name__ == "__main__":
    main()
