"""What metrics cost: evaluation time with metrics off and on (20k-op mixed document).

    python benchmarks/bench_metrics_overhead.py [--ops 20000] [--shape mixed] [--repeat 21]
        [--parallel] [--json FILE] [--instructions]

Each round merges the same sources afresh and evaluates them twice, once with
metrics off and once observed by a ``Metrics`` (every call timed and counted,
as ``--metrics`` does), in alternating order so that drift of a shared machine
hits both alike. It reports the median and the minimum of each, the overhead
(median of the per-round ratios) and the cost per operator call.

On a shared 2-core machine one evaluation's time varies by 10% or more from run
to run, more than the effect measured; so the script also times the hook on its
own (a ``run_one`` that does nothing, wrapped by the observer, minus the plain
one, best of 5 x 200k calls) and gives that cost as a share of the
evaluation: a figure noise cannot inflate. It also checks that a run with
metrics off imports neither ``graftpy.metrics`` nor ``prometheus_client``.

``--instructions`` adds the figure no neighbour can disturb: under valgrind's
callgrind it counts the instructions of three processes, each after one warm-up
evaluation (then: merge only; merge and evaluate with metrics off; the same with
metrics on) and reports the extra
instructions of metrics as a share of the evaluation's (slow: ~15 minutes).
The target: at most 3% with metrics on.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import count_instructions, generate  # noqa: E402
from graftpy.evaluator import EvaluationOptions, Evaluator, Settings  # noqa: E402
from graftpy.metrics import Metrics  # noqa: E402
from graftpy.metrics.config import MetricsConfig  # noqa: E402
from graftpy.metrics.session import MetricsSession  # noqa: E402
from graftpy.pipeline import MergeOptions, load_sources, merge_sources  # noqa: E402

OFF_CHECK = """
import sys
from graftpy.pipeline import MergeOptions, run_merge
run_merge([{base!r}, {overlay!r}], MergeOptions(env={{}}))
bad = [m for m in ("graftpy.metrics", "prometheus_client") if m in sys.modules]
print(",".join(bad))
"""


def evaluate(sources: list, parallel: bool, metrics: Metrics | None) -> tuple[float, int]:
    """Merge afresh and evaluate; returns (seconds, operations)."""
    options = MergeOptions(env={})
    merger = merge_sources(copy.deepcopy(sources), options)
    eval_options = EvaluationOptions()
    session = None
    if metrics is not None:
        session = MetricsSession(MetricsConfig(), metrics)
    if parallel:
        from graftpy.evaluator.scheduler import make_executor

        on_phase = session.on_phase if session is not None else None
        eval_options.executor = make_executor(
            {"GRAFT_PARALLEL": "true", "GRAFT_PARALLEL_STRATEGY": "adaptive"}, on_phase=on_phase
        )
    evaluator = Evaluator(merger.tree, Settings(env={}), eval_options)
    gc.collect()
    start = time.perf_counter()
    errors = evaluator.run() if session is None else session.run(evaluator)
    seconds = time.perf_counter() - start
    if errors:
        raise SystemExit(f"the benchmark document has errors: {errors[:3]}")
    return seconds, sum(r.operations for r in evaluator.reports)


def hook_cost(calls: int = 200_000, repeat: int = 5) -> float:
    """Seconds the metrics hook adds to one operator call (best of ``repeat``)."""
    from types import SimpleNamespace

    def run_one(op: Any) -> None:  # a call that does nothing: what is left is the hook
        return None

    observer = Metrics().evaluation()
    op = SimpleNamespace(operator=SimpleNamespace(name="grab"))
    plain, observed = run_one, observer.wrap(run_one)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(calls):
            plain(op)
        t1 = time.perf_counter()
        for _ in range(calls):
            observed(op)
        t2 = time.perf_counter()
        best = min(best, ((t2 - t1) - (t1 - t0)) / calls)
    observer.finish(True)  # includes folding the recorded calls
    return best


def off_imports(folder: Path) -> str:
    code = OFF_CHECK.format(base=str(folder / "base.yml"), overlay=str(folder / "overlay.yml"))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return out.stdout.strip()


def instructions(args: argparse.Namespace) -> dict[str, Any]:
    """Instruction counts (callgrind) of one pass per mode; see the module's doc."""
    counts = {
        mode: count_instructions(
            [
                sys.executable,
                __file__,
                "--ops",
                str(args.ops),
                "--shape",
                args.shape,
                "--only",
                mode,
            ]
        )
        for mode in ("merge", "off", "on")
    }
    evaluation = counts["off"] - counts["merge"]
    return {
        "instructions_evaluation": evaluation,
        "instructions_metrics": counts["on"] - counts["off"],
        "instructions_overhead_pct": 100 * (counts["on"] - counts["off"]) / evaluation,
    }


def one_pass(args: argparse.Namespace) -> None:
    """``--only MODE``: one merge (and evaluation), for the instruction counts."""
    folder = generate(args.ops, args.shape)
    sources = load_sources([str(folder / "base.yml"), str(folder / "overlay.yml")], MergeOptions())
    metrics = Metrics()
    metrics.registry  # noqa: B018 - the same imports in every mode
    evaluate(sources, False, None)  # warm-up in every mode: imports and caches cancel out
    if args.only == "merge":
        merge_sources(copy.deepcopy(sources), MergeOptions(env={}))
    else:
        evaluate(sources, False, metrics if args.only == "on" else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=20000)
    parser.add_argument("--shape", default="mixed")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--parallel", action="store_true", help="adaptive parallel executor")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--instructions", action="store_true", help="count them with callgrind")
    parser.add_argument("--only", choices=("merge", "off", "on"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        one_pass(args)
        return

    folder = generate(args.ops, args.shape)
    sources = load_sources([str(folder / "base.yml"), str(folder / "overlay.yml")], MergeOptions())
    metrics = Metrics()
    metrics.registry  # noqa: B018 - build it now, as a run with metrics on would
    evaluate(sources, args.parallel, None)  # warm-up: imports, caches
    evaluate(sources, args.parallel, metrics)
    off: list[float] = []
    on: list[float] = []
    ratios: list[float] = []
    operations = 0
    for i in range(args.repeat):
        pair: dict[str, float] = {}
        for which in ("off", "on") if i % 2 == 0 else ("on", "off"):
            seconds, operations = evaluate(
                sources, args.parallel, metrics if which == "on" else None
            )
            pair[which] = seconds
        off.append(pair["off"])
        on.append(pair["on"])
        ratios.append(pair["on"] / pair["off"])
    overhead = statistics.median(ratios) - 1
    quartiles = statistics.quantiles(ratios, n=4)[::2]  # the spread: the machine's noise
    per_call = (statistics.median(on) - statistics.median(off)) / operations
    hook = hook_cost()
    estimate = hook * operations / min(off)
    result: dict[str, Any] = {
        "document": f"{args.shape}, {operations} operator calls",
        "executor": "parallel (adaptive)" if args.parallel else "sequential",
        "rounds": args.repeat,
        "off_median_s": statistics.median(off),
        "off_min_s": min(off),
        "on_median_s": statistics.median(on),
        "on_min_s": min(on),
        "overhead_median_pct": 100 * overhead,
        "overhead_quartiles_pct": [round(100 * (q - 1), 2) for q in quartiles],
        "overhead_min_pct": 100 * (min(on) / min(off) - 1),
        "cost_per_call_us": 1e6 * per_call,
        "hook_cost_per_call_us": 1e6 * hook,
        "hook_overhead_pct": 100 * estimate,
        "off_imports": off_imports(folder) or "none",
        "recorded_calls": metrics.to_json()["operations"]["total"],
    }
    if args.instructions:
        result.update(instructions(args))
    width = max(map(len, result))
    for key, value in result.items():
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    figures = [("measured (median of paired runs)", overhead), ("hook cost", estimate)]
    if args.instructions:
        figures.append(("instructions", result["instructions_overhead_pct"] / 100))
    for label, value in figures:
        verdict = "OK" if value <= 0.03 else "OVER BUDGET"
        print(f"metrics on, {label}: {100 * value:.2f}% of evaluation time (<= 3%): {verdict}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
