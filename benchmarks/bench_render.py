"""``graftpy render`` of a fleet: one run against 50 merges, and against 50 graft runs.

The fleet: 50 targets, each ``gen_manifest.py --shape mixed --ops 200`` (seeds 1-50)
plus 100 ``(( vault ))`` lookups drawn from one shared pool of 150 secret paths
(5 keys each), an OpenBao dev server behind ``latency_proxy.py`` (20 ms per round
trip and per new connection). gen_manifest gives each manifest its own paths
(``--vault 100 --vault-paths 100``: p0000-p0099); ``fleet()`` redraws every lookup
from the pool (seeded: path and key uniform), and the pool's values are those
gen_manifest writes for ``--vault 150 --vault-paths 150``.

Prints, each with the requests the proxy saw:

* ``graftpy render`` of the 50 targets (median of ``--repeat`` runs, fresh proxy each;
  ``--processes 1`` adds interleaved runs with threads only, no worker processes);
* 50 sequential ``graftpy merge`` runs (one process each, as a CI script would);
* 50 sequential graft runs (``--graft``, default /root/.cache/reference-bin/graft);

and checks that every target's output is byte for byte ``graftpy merge``'s (and says
whether graft's agrees). Targets (issue 16): render <= 2.0 s, requests = distinct paths
+ mount lookups, and <= 0.05x the 50 graft runs.

    python benchmarks/bench_render.py [--targets 50] [--repeat 3] [--delay-ms 20]
        [--graft PATH | --no-graft] [--no-merge] [--processes N] [--render-args ARGS]
    python benchmarks/bench_render.py --smoke    # 4 targets, one run: checks, no figures

Each render run also writes ``--report``; the targets' shares of the backend's
requests must add up to the run's total and to what the proxy saw.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import GEN, GRAFTPY, OUT, SHARED_BENCH
from bench_vault import TOKEN, LatencyProxy, start_openbao

POOL = 150
LOOKUPS = 100
KEYS = 5
OPS = 200
GRAFT = "/root/.cache/reference-bin/graft"
VAULT_REF = re.compile(r'\(\( vault "secret/bench/p\d{4}:k\d" \)\)')


def gen(out: Path, *args: str) -> None:
    cmd = [sys.executable, str(GEN), "--shape", "mixed", "--out", str(out), *args]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def fleet(folder: Path, targets: int) -> tuple[Path, int]:
    """The fleet's folder (graftpy.yml, tNN/, pool/secrets.json) and its distinct paths."""
    if (folder / "graftpy.yml").exists() and (folder / "paths.json").exists():
        return folder, json.loads((folder / "paths.json").read_text())["distinct"]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    gen(folder / "pool", "--ops", "1", "--vault", str(POOL), "--vault-paths", str(POOL))
    used: set[int] = set()
    names = []
    for t in range(1, targets + 1):
        name = f"t{t:02d}"
        gen(folder / name, "--ops", str(OPS), "--seed", str(t), "--vault", str(LOOKUPS),
            "--vault-paths", str(LOOKUPS))  # fmt: skip
        base = folder / name / "base.yml"
        rng = random.Random(f"fleet:{t}")

        def draw(_match: re.Match[str], rng: random.Random = rng) -> str:
            path = rng.randrange(POOL)
            used.add(path)
            return f'(( vault "secret/bench/p{path:04d}:k{rng.randrange(KEYS)}" ))'

        text, count = VAULT_REF.subn(draw, base.read_text())
        assert count == LOOKUPS, f"{base}: {count} vault lookups, not {LOOKUPS}"
        base.write_text(text)
        names.append(name)
    lines = [
        "# the fleet of bench_render.py: one target per generated manifest",
        "files: ['{target}/base.yml', '{target}/overlay.yml']",
        "output: 'out/{target}.yml'",
        "targets:",
        *[f"  {name}: {{}}" for name in names],
    ]
    (folder / "graftpy.yml").write_text("\n".join(lines) + "\n")
    (folder / "paths.json").write_text(json.dumps({"distinct": len(used)}))
    return folder, len(used)


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(cmd)}\n{proc.stderr[-3000:]}")
    return wall, proc.stdout, proc.stderr


def check_shares(report_file: Path, seen: dict) -> None:
    """The targets' shares of the requests add up to the run's, and to the proxy's."""
    report = json.loads(report_file.read_text())
    shares = sum(t["backends"].get("vault", {}).get("requests", 0) for t in report["targets"])
    total = report["backends"].get("vault", {}).get("requests", 0)
    if not shares == total == seen.get("requests"):
        raise SystemExit(
            f"per-target requests {shares}, run total {total}, proxy {seen.get('requests')}"
        )


def through_proxy(vault: str, delay_ms: float, work) -> tuple[float, dict, object]:
    proxy = LatencyProxy(vault, delay_ms)
    try:
        wall, result = work(proxy.addr)
    finally:
        stats = proxy.stop()
    return wall, stats, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="render runs (the median is shown)")
    ap.add_argument("--delay-ms", type=float, default=20)
    ap.add_argument("--graft", default=GRAFT, help="the graft binary")
    ap.add_argument("--no-graft", action="store_true", help="skip the 50 graft runs")
    ap.add_argument("--no-merge", action="store_true", help="skip the 50 graftpy merge runs")
    ap.add_argument("--cmd", default=" ".join(GRAFTPY), help="the graftpy command")
    ap.add_argument("--render-args", default="", help="extra arguments of graftpy render")
    ap.add_argument(
        "--processes", help="also time render --processes N (e.g. 1: threads of one process)"
    )
    ap.add_argument(
        "--smoke",
        action="store_true",
        help="a short check that everything runs: 4 targets, one render run (no figures)",
    )
    a = ap.parse_args()
    if a.smoke:
        a.targets, a.repeat = 4, 1
    cmd = shlex.split(a.cmd)
    folder, distinct = fleet(OUT / f"render-fleet-{a.targets}", a.targets)
    bao, vault = start_openbao()
    try:
        base_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("VAULT_", "GRAFT_")) and k != "REDACT"
        }
        base_env |= {"VAULT_TOKEN": TOKEN, "HOME": tempfile.mkdtemp()}
        subprocess.run(
            [sys.executable, str(SHARED_BENCH / "load_secrets.py"), "--addr", vault,
             "--token", TOKEN, str(folder / "pool" / "secrets.json")],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        names = sorted(p.name for p in folder.glob("t[0-9]*"))
        print(
            f"== {len(names)} targets: mixed {OPS} ops + {LOOKUPS} vault lookups each, "
            f"{distinct} distinct paths of a pool of {POOL}, {a.delay_ms:g} ms round trip"
        )
        floor = distinct + 1
        variants = [("graftpy render", [])]
        if a.processes is not None:
            variants.append((f"render --processes {a.processes}", ["--processes", a.processes]))
        render_wall, stats = 0.0, {}
        results: dict[str, tuple[list[float], dict]] = {label: ([], {}) for label, _ in variants}
        for _ in range(a.repeat):  # interleaved: the machine's load hits every variant alike
            for label, extra in variants:
                shutil.rmtree(folder / "out", ignore_errors=True)
                render = [*cmd, "render", "--no-progress", "--report", "report.json", *extra]
                render += shlex.split(a.render_args)
                wall, seen, _ = through_proxy(
                    vault,
                    a.delay_ms,
                    lambda addr, render=render: (
                        run(render, {**base_env, "VAULT_ADDR": addr}, folder)[0],
                        None,
                    ),
                )
                results[label][0].append(wall)
                results[label] = (results[label][0], seen)
                check_shares(folder / "report.json", seen)
        for label, (walls, seen) in results.items():
            median = statistics.median(walls)
            if label == "graftpy render":
                render_wall, stats = median, seen
            print(
                f"  {label + ':':<28}{median:6.2f} s  (runs: "
                f"{', '.join(f'{w:.2f}' for w in walls)})   requests seen: {seen.get('requests')} "
                f"(distinct paths + 1 mount lookup = {floor}), connections {seen.get('connections')}"
            )
        outputs = {name: (folder / "out" / f"{name}.yml").read_text() for name in names}
        merge_wall = graft_wall = None
        if not a.no_merge:

            def merges(addr: str) -> tuple[float, list[str]]:
                env = {**base_env, "VAULT_ADDR": addr}
                total, texts = 0.0, []
                for name in names:
                    wall, out, _ = run(
                        [*cmd, "merge", "--config", os.devnull, f"{name}/base.yml",
                         f"{name}/overlay.yml"], env, folder,
                    )  # fmt: skip
                    total += wall
                    texts.append(out)
                return total, texts

            merge_wall, mstats, texts = through_proxy(vault, a.delay_ms, merges)
            same = all(outputs[n] == t for n, t in zip(names, texts, strict=True))
            print(
                f"  {len(names)} x graftpy merge:         {merge_wall:6.2f} s   requests seen: "
                f"{mstats.get('requests')}   render's outputs byte-identical: "
                f"{'yes' if same else 'NO'}"
            )
            if not same:
                raise SystemExit("render's output differs from graftpy merge's")
        if not a.no_graft and Path(a.graft).exists():

            def grafts(addr: str) -> tuple[float, list[str]]:
                env = {**base_env, "VAULT_ADDR": addr}
                total, texts = 0.0, []
                for name in names:
                    wall, out, _ = run(
                        [a.graft, "merge", f"{name}/base.yml", f"{name}/overlay.yml"], env, folder
                    )
                    total += wall
                    texts.append(out)
                return total, texts

            graft_wall, gstats, texts = through_proxy(vault, a.delay_ms, grafts)
            same = sum(outputs[n] == t for n, t in zip(names, texts, strict=True))
            print(
                f"  {len(names)} x graft merge:           {graft_wall:6.2f} s   requests seen: "
                f"{gstats.get('requests')}   outputs equal to graft's: {same}/{len(names)}"
            )
        verdict = [f"render <= 2.0 s: {'yes' if render_wall <= 2.0 else 'NO'}"]
        verdict.append(f"requests = {floor}: {'yes' if stats.get('requests') == floor else 'NO'}")
        if merge_wall:
            verdict.append(f"{merge_wall / render_wall:.1f}x faster than {len(names)} merges")
        if graft_wall:
            ratio = render_wall / graft_wall
            verdict.append(f"{ratio:.3f}x the graft runs ({'<=' if ratio <= 0.05 else '>'} 0.05)")
        print("  " + "; ".join(verdict))
        if a.smoke:
            print("  (smoke run: 4 targets, one render run; the figures mean nothing)")
    finally:
        bao.terminate()
        bao.wait(timeout=10)


if __name__ == "__main__":
    main()
