"""Start-up cost: `graftpy merge` of a 3-line file (target <= 100 ms; graft: 15 ms).

Times the ``graftpy`` console script as users meet it, in two installs:

* regular (``pip install graftpy`` or ``pip install .``): the package is a plain
  folder on ``sys.path``. Reproduced here without installing anything: a
  throw-away venv whose ``.pth`` file lists this checkout and the dependencies'
  site-packages, and a console script like the one pip writes;
* editable (``pip install -e .``, the README's development set-up): setuptools'
  import hook for editable installs adds ~15-25 ms to every Python process in
  that venv, ``python -c pass`` included.

Each figure is the median of --repeat runs, next to the bare interpreter's own
start-up (the floor no Python program goes below). Also checks that heavy
libraries are not imported for such a run.

    python benchmarks/bench_startup.py [--repeat 21]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from _common import time_command

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("networkx", "hvac", "boto3", "botocore", "prometheus_client")
CONSOLE_SCRIPT = """#!{python}
import sys
from graftpy.cli import run
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
    script = folder / "bin" / "graftpy"
    script.write_text(CONSOLE_SCRIPT.format(python=python))
    script.chmod(0o755)
    return python, script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=21)
    n = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.yml"
        small.write_text("a: 1\nb: two\nc: [x, y]\n")
        python, script = regular_install(Path(tmp) / "venv")
        editable = Path(sys.executable).parent / "graftpy"
        figures = {}
        for _ in range(3):  # interleaved, so that a noisy moment hits all alike
            for label, cmd in (
                ("regular", [str(script), "merge", str(small)]),
                ("regular floor", [str(python), "-c", "pass"]),
                ("editable", [str(editable), "merge", str(small)]),
                ("editable floor", [sys.executable, "-c", "pass"]),
            ):
                figures.setdefault(label, []).append(time_command(cmd, repeat=n))
        probe = (
            f"import sys; from graftpy.cli import main; sys.argv=['graftpy','merge',{str(small)!r}];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
        )
        proc = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
        heavy = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    ms = {label: 1000 * sorted(values)[1] for label, values in figures.items()}  # middle of 3
    verdict = "OK" if ms["regular"] <= 100 else "OVER"
    print(f"graftpy merge of a 3-line file, median of {n} runs (middle of 3 such medians):")
    print(f"  regular install:  {ms['regular']:4.0f} ms (<= 100 ms: {verdict})")
    print(f"    python -c pass: {ms['regular floor']:4.0f} ms (the floor)")
    print(f"  editable install: {ms['editable']:4.0f} ms")
    print(f"    python -c pass: {ms['editable floor']:4.0f} ms (the floor)")
    print(f"heavy modules imported: {heavy or 'none'}")


if __name__ == "__main__":
    main()
