"""Start-up cost: `graftpy merge` of a 3-line file (target <= 100 ms; graft: 15 ms).

Also checks that heavy libraries are not imported for such a run.
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
        wall = time_command([*GRAFTPY, "merge", str(small)], repeat=15)
        probe = (
            f"import sys; from graftpy.cli import main; sys.argv=['graftpy','merge',{str(small)!r}];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
        )
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        heavy = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    print(f"graftpy merge of a 3-line file: {wall * 1000:.0f} ms median of 15 (target <= 100 ms)")
    print(f"heavy modules imported: {heavy or 'none'}")


if __name__ == "__main__":
    main()
