"""graftpy and graft side by side on the manifests people have (issue 11's targets).

Each case runs ``graftpy merge`` (the console script, default settings) and the real
graft binary on the same files, interleaved (graftpy, graft, graftpy, graft, ...) so a
noisy moment hits both, and prints the median wall time of each, their ratio, the
target and graftpy's peak memory (max RSS of the child process).

Cases (gen_manifest.py shapes, seed 1):
  3-line    a 3-line file with one (( grab ))                target <= 0.10 s
  mixed-100 / mixed-300                                       <= 2.0x / <= 1.0x graft
  mixed-20000 (peak memory <= 100 MiB) / mixed-50000          <= 0.10x / <= 0.06x graft
  bosh      a BOSH-sized manifest: mixed, 400 operators and 6 Vault lookups over 3
            secret paths, against an OpenBao dev server behind latency_proxy.py (20 ms
            a round trip, as a remote Vault)              <= 1.5x graft
  vault-100 / vault-500   mixed 100 with 500 Vault lookups over 100 / 500 secret paths,
            same OpenBao and 20 ms proxy (bench_vault.py's manifests)
                                                          <= 0.50 s / <= 0.70 s

    python benchmarks/bench_manifests.py [--repeat 7] [--cases 3-line,mixed-100,...]
        [--graft PATH] [--graftpy PATH] [--instructions]

The large cases are slow for graft (mixed 50 000: ~100 s a run): ``--cases`` picks.
``--instructions`` also counts one graftpy run's instructions with callgrind (main
process, all threads), a figure the machine's load does not move; for the Vault
cases, with the share that importing the Vault client library (hvac, and requests
under it) takes, counted apart.
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

from _common import SHARED_BENCH, count_instructions, generate

ROOT = Path(__file__).resolve().parent.parent
GRAFT = Path("/root/.cache/reference-bin/graft")

# case -> (ops, target kind, target): "abs" seconds, or "ratio" to graft
CASES: dict[str, tuple[int, str, float]] = {
    "3-line": (1, "abs", 0.10),
    "mixed-100": (100, "ratio", 2.0),
    "mixed-300": (300, "ratio", 1.0),
    "mixed-20000": (20000, "ratio", 0.10),
    "mixed-50000": (50000, "ratio", 0.06),
    "bosh": (400, "ratio", 1.5),
    "vault-100": (100, "abs", 0.50),
    "vault-500": (100, "abs", 0.70),
}
# case -> gen_manifest.py's Vault options (these cases run against OpenBao behind the proxy)
VAULT_CASES = {
    "bosh": ["--vault", "6", "--vault-paths", "3"],
    "vault-100": ["--vault", "500", "--vault-paths", "100"],
    "vault-500": ["--vault", "500", "--vault-paths", "500"],
}
PEAK_TARGET_MIB = {"mixed-20000": 100}
# what a Vault run has imported when it imports hvac (our own HTTP session, with socket
# and ssl, included); os._exit: no teardown, as the console script
VAULT_PATH = (
    "import graftpy.pipeline, graftpy.evaluator.early_io, graftpy.backends.vault,"
    " graftpy.backends.http_session"
)


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run; fails loudly if the command fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close() if proc.stderr else None
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[:2000]}")
    return wall, usage.ru_maxrss


def small_file(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "small.yml"
    path.write_text("name: web\nhost: (( grab name ))\nport: 8080\n")
    return [str(path)]


class Vault:
    """An OpenBao dev server holding a case's secrets, behind a 20 ms proxy."""

    def __init__(self, folder: Path) -> None:
        from bench_vault import TOKEN, LatencyProxy, start_openbao

        self.bao, addr = start_openbao()
        subprocess.run(
            [
                sys.executable,
                str(SHARED_BENCH / "load_secrets.py"),
                "--addr",
                addr,
                "--token",
                TOKEN,
                str(folder / "secrets.json"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.proxy = LatencyProxy(addr, 20)
        self.env = {"VAULT_ADDR": self.proxy.addr, "VAULT_TOKEN": TOKEN}

    def stop(self) -> None:
        self.proxy.stop()
        self.bao.terminate()
        self.bao.wait(timeout=30)


def vault_client_import() -> int:
    """Instructions importing hvac (with requests) adds to a Vault run's own imports."""
    python = sys.executable

    def probe(extra: str) -> int:
        return count_instructions([python, "-c", f"{VAULT_PATH}{extra}; import os; os._exit(0)"])

    return probe("; import hvac") - probe("")


def instructions_line(case: str, files: list[str], graftpy: str, env: dict[str, str]) -> str:
    count = count_instructions([graftpy, "merge", *files], env=env)
    line = f"{'':12} instructions: {count / 1e6:.0f} M"
    if case in VAULT_CASES:
        client = vault_client_import()
        line += f" (importing hvac and requests: {client / 1e6:.0f} M, {100 * client / count:.0f}%)"
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument(
        "--cases", default="3-line,mixed-100,mixed-300,mixed-20000,bosh,vault-100,vault-500"
    )
    ap.add_argument("--graft", default=str(GRAFT))
    ap.add_argument("--graftpy", default=str(Path(sys.executable).parent / "graftpy"))
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="also count one graftpy run's instructions with callgrind (needs valgrind)",
    )
    a = ap.parse_args()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GRAFT_", "VAULT_")) and k != "REDACT"
    }
    env["HOME"] = tempfile.mkdtemp()  # no ~/.vault-token
    print(f"{a.repeat} interleaved runs each; medians in seconds")
    print(
        f"{'case':12} {'graftpy':>8} {'graft':>8} {'ratio':>6}  {'target':>12}  peak MiB  verdict"
    )
    for case in a.cases.split(","):
        ops, kind, target = CASES[case]
        vault = None
        if case == "3-line":
            files = small_file(Path(tempfile.mkdtemp()))
        elif case in VAULT_CASES:
            folder = generate(ops, "mixed", extra=VAULT_CASES[case])
            files = [str(folder / "base.yml"), str(folder / "overlay.yml")]
            vault = Vault(folder)
        else:
            folder = generate(ops, "mixed")
            files = [str(folder / "base.yml"), str(folder / "overlay.yml")]
        run_env = {**env, **(vault.env if vault else {})}
        ours, theirs, peak = [], [], 0
        try:
            for _ in range(a.repeat):
                wall, rss = run_once([a.graftpy, "merge", *files], run_env)
                ours.append(wall)
                peak = max(peak, rss)
                theirs.append(run_once([a.graft, "merge", *files], run_env)[0])
            counted = instructions_line(case, files, a.graftpy, run_env) if a.instructions else ""
        finally:
            if vault is not None:
                vault.stop()
        mine, graft = statistics.median(ours), statistics.median(theirs)
        ratio = mine / graft
        if kind == "abs":
            ok, goal = mine <= target, f"<= {target:.2f} s"
        else:
            ok, goal = ratio <= target, f"<= {target:.2f}x"
        mib = peak / 1024
        if case in PEAK_TARGET_MIB:
            ok = ok and mib <= PEAK_TARGET_MIB[case]
            goal += f", {PEAK_TARGET_MIB[case]} MiB"
        print(
            f"{case:12} {mine:8.3f} {graft:8.3f} {ratio:6.2f}  {goal:>12}  {mib:8.0f}  "
            f"{'OK' if ok else 'OVER'}",
            flush=True,
        )
        if counted:
            print(counted, flush=True)


if __name__ == "__main__":
    main()
