"""The parallel evaluator on I/O-bound documents: ``(( load URL ))`` over slow HTTP.

A local HTTP server (127.0.0.1, in a child process) answers every GET after a
fixed delay. For each scenario the evaluation runs sequentially and with each
strategy, and the script prints the wall times, the lower bound and the ratios:

* ``independent``: N loads of distinct URLs, no dependencies;
* ``chain``: D loads, each fetching the URL the previous one returned;
* ``mixed``: independent loads, a chain, and readers (grab / concat / stringify)
  of what was loaded, fanning in.

Lower bound = max(critical path x delay, distinct requests / workers x delay):
nothing can beat the longest chain of requests, nor the requests the pool can
have in flight at once. With ``--cpu``, it also compares sequential and each
strategy on a CPU-bound gen_manifest document (``mixed``, 20k operators by
default), where the adaptive strategy must not be slower than sequential.

    python benchmarks/bench_parallel_io.py [--delay 0.05] [--requests 200] [--depth 10]
        [--workers 16] [--repeat 3] [--skip-sequential] [--cpu] [--cpu-ops 20000] [--json F]

Timings are the minimum of ``--repeat`` runs (the machine may be shared); the
evaluation time is the executor's own (load, merge and emit are excluded).
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "parallel"))  # the delay server lives with the tests

from delay_server import spawn_server  # noqa: E402

from graftpy.evaluator import EvaluationOptions, Evaluator, SequentialExecutor, Settings  # noqa: E402
from graftpy.evaluator.scheduler import ParallelConfig, ParallelExecutor  # noqa: E402
from graftpy.pipeline import MergeOptions, Source, load_sources, merge_sources  # noqa: E402

STRATEGIES = ("conservative", "aggressive", "adaptive")


class TimedSequential(SequentialExecutor):
    """The sequential executor, timing its phases like the parallel one does."""

    def __init__(self) -> None:
        self.walls: list[float] = []

    def execute(self, flow: Any, order: list, run_one: Any) -> list:
        start = time.perf_counter()
        try:
            return super().execute(flow, order, run_one)
        finally:
            self.walls.append(time.perf_counter() - start)


def evaluate(sources: list[Source], executor: Any) -> tuple[float, dict, list]:
    """Merge and evaluate; returns (evaluation seconds, tree, errors)."""
    options = MergeOptions(env={})
    merger = merge_sources(copy.deepcopy(sources), options)
    evaluator = Evaluator(merger.tree, Settings(env={}), EvaluationOptions(executor=executor))
    gc.collect()
    errors = evaluator.run()
    if isinstance(executor, TimedSequential):
        seconds = sum(executor.walls)
    else:
        seconds = sum(h.wall for h in executor.history)
    return seconds, evaluator.tree, errors


def best(runs: int, fn: Any) -> tuple[float, Any]:
    results = [fn() for _ in range(runs)]
    return min(r[0] for r in results), results[0]


def scenario(name: str, url: Any, requests: int, depth: int) -> tuple[dict, int, int]:
    """The document, its critical path (requests in a row) and its distinct requests."""
    if name == "independent":
        doc = {"items": {f"k{i:04}": f'(( load "{url(f"item/{i}")}" ))' for i in range(requests)}}
        return doc, 1, requests
    if name == "chain":
        doc: dict = {"c0": f'(( load "{url("link/0")}" ))'}
        doc.update({f"c{i}": f"(( load c{i - 1}.next ))" for i in range(1, depth)})
        return doc, depth, depth
    n = max(requests - depth, 0)
    doc = {
        "items": {f"k{i:04}": f'(( load "{url(f"item/{i}")}" ))' for i in range(n)},
        "chain": {"c0": f'(( load "{url("link/0")}" ))'},
        "all": "(( stringify items ))",
        "first": "(( grab items.k0000.value ))",
        "last": f'(( concat chain.c{depth - 1}.value "/" first ))',
    }
    doc["chain"].update({f"c{i}": f"(( load chain.c{i - 1}.next ))" for i in range(1, depth)})
    return doc, depth, n + depth


def run_io(args: argparse.Namespace) -> list[dict]:
    rows = []
    for name in args.scenarios.split(","):
        with spawn_server(args.delay, max_seconds=600) as server:
            doc, critical, distinct = scenario(name, server.url, args.requests, args.depth)
            sources = [Source("bench.yml", doc)]
            bound = max(critical * args.delay, distinct / args.workers * args.delay)
            row: dict[str, Any] = {
                "scenario": name,
                "requests": distinct,
                "critical_path": critical,
                "lower_bound": bound,
            }
            reference = None
            if not args.skip_sequential:
                row["sequential"], (_, reference, _) = best(
                    1, lambda s=sources: evaluate(s, TimedSequential())
                )
            for strategy in STRATEGIES:
                cfg = ParallelConfig(enabled=True, strategy=strategy, workers=args.workers)
                seconds, (_, tree, errors) = best(
                    args.repeat, lambda s=sources, c=cfg: evaluate(s, ParallelExecutor(c))
                )
                if errors:
                    raise SystemExit(f"{name}/{strategy}: {errors[0].render()}")
                if reference is not None and tree != reference:
                    raise SystemExit(f"{name}/{strategy}: result differs from sequential")
                row[strategy] = seconds
            rows.append(row)
    return rows


def print_io(rows: list[dict], args: argparse.Namespace) -> None:
    print(f"I/O-bound: delay {args.delay * 1000:.0f} ms per request, {args.workers} workers")
    head = f"{'scenario':12} {'requests':>8} {'crit':>4} {'bound':>7} {'sequential':>10}"
    print(head + "".join(f" {s:>20}" for s in STRATEGIES))
    for r in rows:
        seq = r.get("sequential")
        line = f"{r['scenario']:12} {r['requests']:>8} {r['critical_path']:>4} "
        line += f"{r['lower_bound']:>6.3f}s " + (f"{seq:>9.3f}s" if seq else f"{'-':>10}")
        for s in STRATEGIES:
            cell = f"{r[s]:.3f}s {r[s] / r['lower_bound']:.2f}xLB"
            if seq:
                cell += f" {seq / r[s]:.0f}x"
            line += f" {cell:>20}"
        print(line)
    print("  (xLB: wall / lower bound; last figure: speedup over sequential)")


def run_cpu(args: argparse.Namespace) -> dict:
    from _common import generate

    folder = generate(args.cpu_ops, "mixed")
    sources = load_sources([str(folder / "base.yml"), str(folder / "overlay.yml")], MergeOptions())
    times: dict[str, list[float]] = {"sequential": [], **{s: [] for s in STRATEGIES}}
    trees: dict[str, Any] = {}
    for _ in range(args.repeat):
        for name in times:  # interleaved, so a noisy moment hits every contender
            ex: Any = (
                TimedSequential()
                if name == "sequential"
                else ParallelExecutor(ParallelConfig(enabled=True, strategy=name, workers=2))
            )
            seconds, tree, _ = evaluate(sources, ex)
            times[name].append(seconds)
            trees[name] = tree
    same = all(t == trees["sequential"] for t in trees.values())
    return {"ops": args.cpu_ops, "identical": same, "times": times}


def print_cpu(res: dict) -> None:
    seq = min(res["times"]["sequential"])
    print(f"\nCPU-bound: gen_manifest mixed, {res['ops']} operators, 2 workers (min / median)")
    for name, ts in res["times"].items():
        print(
            f"  {name:12} {min(ts):.3f}s / {statistics.median(ts):.3f}s"
            f"   {min(ts) / seq:.2f}x sequential"
        )
    print(f"  outputs identical: {res['identical']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--depth", type=int, default=10)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenarios", default="independent,chain,mixed")
    ap.add_argument("--skip-sequential", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="also run the CPU-bound comparison")
    ap.add_argument("--cpu-ops", type=int, default=20000)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    result: dict[str, Any] = {"io": run_io(args)}
    print_io(result["io"], args)
    if args.cpu:
        result["cpu"] = run_cpu(args)
        print_cpu(result["cpu"])
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
