"""Regular expressions compiled on first use.

Compiling a pattern costs 0.2-0.6 ms, and a module-level ``re.compile`` pays it
in every process that imports the module, used or not: for the modules a plain
``graftpy merge`` loads that was a fifth of graftpy's own start-up. A
``LazyPattern`` is declared like a compiled pattern and compiles the first time
one of its methods is looked up; from then on its methods are the compiled
pattern's own bound methods (no wrapper on the hot path).
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)`` until first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        # only called for attributes not set yet: the first use of a method
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:  # two threads racing here store equal methods
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
