"""Start-up cost: `graftpy merge` of a 3-line file (target <= 100 ms; graft: 15 ms).

Times the ``graftpy`` console script, as users run it (``python -m graftpy``
too, for comparison), next to the bare interpreter's own start-up, the floor
no Python program goes below. Also checks that heavy libraries are not
imported for such a run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _common import GRAFTPY, time_command

HEAVY = ("networkx", "hvac", "boto3", "botocore", "prometheus_client")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.yml"
        small.write_text("a: 1\nb: two\nc: [x, y]\n")
        script = Path(sys.executable).parent / "graftpy"
        wall = time_command([str(script), "merge", str(small)], repeat=15)
        module = time_command([*GRAFTPY, "merge", str(small)], repeat=15)
        bare = time_command([sys.executable, "-c", "pass"], repeat=15)
        probe = (
            f"import sys; from graftpy.cli import main; sys.argv=['graftpy','merge',{str(small)!r}];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
        )
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        heavy = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    verdict = "OK" if wall <= 0.1 else "OVER"
    print(
        f"graftpy merge of a 3-line file: {wall * 1000:.0f} ms median of 15 (<= 100 ms: {verdict})"
    )
    print(f"python -m graftpy, the same:     {module * 1000:.0f} ms")
    print(f"python -c pass (the floor):      {bare * 1000:.0f} ms")
    print(f"heavy modules imported: {heavy or 'none'}")


if __name__ == "__main__":
    main()
