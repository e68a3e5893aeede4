"""YAML load and emit speed on the 20k-operator `mixed` manifest.

Generates (once) base.yml + overlay.yml with
``gen_manifest.py --ops 20000 --shape mixed --seed 1``, then times, in-process:
loading each file (libyaml's C parser + graft's scalar rules), emitting the
loaded base with go-yaml's layout, and the JSON conversion of the base.
Each figure is the median of --repeat runs (CPU time and wall time).

    python benchmarks/bench_load_emit.py [--ops 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _common import generate


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``fn()`` over ``repeat`` runs, and its last result."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from graftpy.yamlio import dump_json, dump_yaml, load_file

    folder = generate(args.ops, "mixed")
    base_path, overlay_path = folder / "base.yml", folder / "overlay.yml"
    print(
        f"manifest: {folder} (base {base_path.stat().st_size / 1e6:.2f} MB, "
        f"overlay {overlay_path.stat().st_size / 1e3:.0f} kB)"
    )

    rows = []
    wall, cpu, base = measure(lambda: load_file(str(base_path))[0], args.repeat)
    rows.append(("load base.yml", wall, cpu))
    wall, cpu, _ = measure(lambda: load_file(str(overlay_path))[0], args.repeat)
    rows.append(("load overlay.yml", wall, cpu))
    wall, cpu, text = measure(lambda: dump_yaml(base), args.repeat)
    rows.append(("emit base (dump_yaml)", wall, cpu))
    wall, cpu, _ = measure(lambda: dump_yaml(base, preserve_order=True), args.repeat)
    rows.append(("emit base, insertion order", wall, cpu))
    wall, cpu, _ = measure(lambda: dump_json(base), args.repeat)
    rows.append(("json of base (dump_json)", wall, cpu))

    print(f"{'step':30} {'wall s':>8} {'cpu s':>8}")
    for name, wall, cpu in rows:
        print(f"{name:30} {wall:8.3f} {cpu:8.3f}")
    total = rows[0][1] + rows[1][1] + rows[2][1]
    print(f"load both + emit base: {total:.3f} s wall; emitted {len(text) / 1e6:.2f} MB")
    c_parser = "_ruamel_yaml" in sys.modules
    print(f"libyaml C parser (ruamel.yaml.clib) in use: {c_parser}")


if __name__ == "__main__":
    main()
