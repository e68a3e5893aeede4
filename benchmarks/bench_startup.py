"""Start-up cost: `graftpy merge` of a 3-line file (target <= 100 ms; graft: 15 ms).

Times the ``graftpy`` console script as users meet it, in two installs:

* regular (``pip install graftpy`` or ``pip install .``): the package is a plain
  folder on ``sys.path``. Reproduced here without installing anything: a
  throw-away venv whose ``.pth`` file lists this checkout and the dependencies'
  site-packages, and a console script like the one pip writes;
* editable (``pip install -e .``, the README's development set-up): the venv
  this script runs in. pyproject.toml names the package folder explicitly, so
  that setuptools writes a plain path into a .pth file instead of installing its
  import hook for editable installs (which cost every process ~20 ms).

The commands run interleaved, --repeat times each; the script prints the minimum
(the cost on an idle machine), the first quartile and the median, next to the
bare interpreter's own start-up and the import of ruamel's C parser alone (the
floors no graftpy run goes below). Also checks that heavy libraries are not
imported for such a run. ``--instructions`` counts instructions with callgrind,
a figure the machine's load does not move, and prints graftpy's own share.

    python benchmarks/bench_startup.py [--repeat 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# click too: a plain merge reads its command line without it (graftpy.commands.quick)
HEAVY = ("networkx", "hvac", "boto3", "botocore", "prometheus_client", "click")
# the library every merge needs, imported and nothing else: libyaml's C parser, as
# graftpy imports it (os._exit: no teardown, like the console script)
LIBRARIES = "import os; from graftpy.yamlio.cparser import events_module; events_module(); os._exit(0)"
CONSOLE_SCRIPT = """#!{python}
import sys
from graftpy.console import run
sys.exit(run())
"""


def regular_install(folder: Path) -> tuple[Path, Path]:
    """(python, graftpy script) of a venv that sees graftpy as a regular install."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]  # this venv's: ruamel, click, ...
    Path(site, "graftpy-regular.pth").write_text(f"{ROOT}\n{deps}\n")
    # pip compiles a package's bytecode when it installs it; a checkout may hold stale
    # .pyc files (and PYTHONDONTWRITEBYTECODE stops Python from refreshing them)
    subprocess.run([str(python), "-m", "compileall", "-q", str(ROOT / "graftpy")], check=True)
    script = folder / "bin" / "graftpy"
    script.write_text(CONSOLE_SCRIPT.format(python=python))
    script.chmod(0o755)
    return python, script


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def heavy_imports(python: Path, small: Path) -> str:
    """Which heavy libraries a 3-line merge imports (none, we expect)."""
    probe = (
        f"import sys; from graftpy.cli import main; sys.argv=['graftpy','merge',{str(small)!r}];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def instruction_shares(python: Path, script: Path, small: Path) -> None:
    """Where a 3-line merge's instructions go: interpreter, libraries, graftpy.

    Each probe ends with ``os._exit`` as the console script does, so none of
    them pays for the interpreter's teardown.
    """
    sys.path.insert(0, str(ROOT))
    from benchmarks._common import count_instructions

    probes = {
        "python -c pass": [str(python), "-c", "import os; os._exit(0)"],
        "+ import ruamel's C parser": [str(python), "-c", LIBRARIES],
        "graftpy merge (regular install)": [str(script), "merge", str(small)],
    }
    counts = {label: count_instructions(cmd) for label, cmd in probes.items()}
    print("instructions (callgrind, millions):")
    for label, count in counts.items():
        print(f"  {label:36} {count / 1e6:7.1f}")
    libraries = counts["+ import ruamel's C parser"]
    total = counts["graftpy merge (regular install)"]
    print(
        f"  graftpy's own share: {(total - libraries) / 1e6:.1f} M ({100 * (total - libraries) / total:.0f}% of the run)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions with callgrind (not moved by the machine's load)",
    )
    args = parser.parse_args()
    n = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.yml"
        small.write_text("a: 1\nb: two\nc: [x, y]\n")
        python, script = regular_install(Path(tmp) / "venv")
        editable = Path(sys.executable).parent / "graftpy"
        commands = {
            "regular install": [str(script), "merge", str(small)],
            "  python -c pass": [str(python), "-c", "pass"],
            "  ruamel C parser": [str(python), "-c", LIBRARIES],
            "editable install": [str(editable), "merge", str(small)],
            "  python -c pass ": [sys.executable, "-c", "pass"],
        }
        samples: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(n):  # interleaved, so that a noisy moment hits all alike
            for label, cmd in commands.items():
                samples[label].append(once(cmd))
        heavy = heavy_imports(python, small)
        print(f"graftpy merge of a 3-line file, {n} runs each (ms):")
        print(f"  {'':18} {'min':>5} {'p25':>5} {'median':>7}")
        for label, values in samples.items():
            ms = sorted(1000 * v for v in values)
            print(f"  {label:18} {ms[0]:5.0f} {ms[len(ms) // 4]:5.0f} {statistics.median(ms):7.0f}")
        for label in ("regular install", "editable install"):
            median = 1000 * statistics.median(samples[label])
            verdict = "OK" if median <= 100 else "OVER"
            print(f"{label}, median: {median:.0f} ms (<= 100 ms: {verdict})")
        print(f"heavy modules imported: {heavy or 'none'}")
        if args.instructions:
            instruction_shares(python, script, small)


if __name__ == "__main__":
    main()
