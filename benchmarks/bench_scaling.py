"""Evaluation time against size: `graftpy merge` of gen_manifest `mixed` and `chain`.

Prints the wall time at 1k, 5k, 20k and 50k operators and the fitted exponent k of
time ~ N^k (graft: about 1.6). Targets: 20k mixed <= 2.7 s, 50k mixed <= 10 s.
Also prints the --skip-eval time of 20k mixed (load + merge + emit; target < 2 s).

    python benchmarks/bench_scaling.py [--sizes 1000,5000,20000,50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math

from _common import generate, merge_cmd, time_command

GRAFT_REFERENCE = {
    ("mixed", 1000): 0.34,
    ("mixed", 5000): 1.9,
    ("mixed", 20000): 13.6,
    ("mixed", 50000): 102.0,
    ("chain", 20000): 23.9,
}


def fit_exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) against log(N)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000,50000")
    parser.add_argument("--shapes", default="mixed,chain")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    folder = generate(20000, "mixed")
    skip = time_command(merge_cmd(folder, "--skip-eval"), repeat=args.repeat)
    print(f"mixed 20000 --skip-eval (load+merge+emit): {skip:.2f} s (target < 2 s)")

    for shape in args.shapes.split(","):
        points = []
        for n in sizes:
            folder = generate(n, shape)
            t = time_command(merge_cmd(folder), repeat=args.repeat if n < 50000 else 1)
            points.append((n, t))
            ref = GRAFT_REFERENCE.get((shape, n))
            ref_text = f"  (graft: {ref:.2f} s, {ref / t:.1f}x)" if ref else ""
            print(f"{shape:6} {n:>6} ops: {t:6.2f} s{ref_text}")
        if len(points) > 1:
            print(f"{shape:6} fitted exponent: time ~ N^{fit_exponent(points):.2f}")


if __name__ == "__main__":
    main()
