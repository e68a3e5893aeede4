"""graftpy: merge YAML documents and evaluate graft's (( operator )) expressions.

>>> import graftpy
>>> graftpy.merge({"a": 1, "b": "(( grab a ))"})
{'a': 1, 'b': 1}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError, MultiError, PathError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from graftpy.api import dumps, merge


def __getattr__(name: str) -> Any:
    # the API pulls in the pipeline; keep `import graftpy` (and CLI start-up) light
    if name in ("merge", "dumps"):
        from graftpy import api

        return getattr(api, name)
    raise AttributeError(name)


__all__ = ["GraftError", "MultiError", "PathError", "__version__", "dumps", "merge"]
