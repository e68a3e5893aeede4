"""Which values of an explained run came from a secret store, and how they show.

A value is secret when a secret operator (vault, vault-try, awsparam, awssecret,
nats) made it, or an operator made it from what it read that was secret, or it
lies inside such a value: operators' reads are followed back as far as they go.
A secret shows as ``<vault secret/x:key>`` (a copy of one too), a value made from
secrets as ``<derived from vault secret/x:key, ...>``; an operator's error is
hidden when what it looked at holds a secret, since a message may quote a value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graftpy.provenance.trace import Trace, nearest, trace_at

Path = tuple[str, ...]

HIDDEN_ERROR = "(its message is not shown: the operator read a secret)"


class SecretView:
    """Secrets over the traces under ``root``: ``locate(path)`` finds a place,
    ``reads(record, rest)`` what an operator read (``Explainer``'s own)."""

    def __init__(
        self,
        root: Trace,
        locate: Callable[[Path], tuple[Path, Path] | None],
        reads: Callable[[Any, Path], list[tuple[Path, bool]]],
        *,
        possible: bool = True,  # False: no secret operator ran, nothing is secret
    ) -> None:
        self.root = root
        self.locate = locate
        self.reads = reads
        self.possible = possible
        self._of: dict[Path, list[str]] = {}
        self._under: dict[Path, list[str]] = {}

    def of(self, ipath: Path) -> list[str]:
        """Labels of the secrets the value at ``ipath`` came from (empty: no secret)."""
        if not self.possible:
            return []
        cached = self._of.get(ipath)
        if cached is not None:
            return cached
        self._of[ipath] = []  # a guard against (impossible) cycles
        trace, rest = nearest(self.root, ipath)
        labels: list[str] = []
        record = trace.op
        if record is not None:
            labels += record.secrets
            for read, ok in self.reads(record, rest):
                found = self.locate(read) if ok else None
                if found is not None:
                    labels += self.under(found[0])
        result = list(dict.fromkeys(labels))
        self._of[ipath] = result
        return result

    def under(self, ipath: Path) -> list[str]:
        """``of`` the value at ``ipath`` and of everything inside it."""
        cached = self._under.get(ipath)
        if cached is not None:
            return cached
        labels = list(self.of(ipath))
        top = trace_at(self.root, ipath)
        if top is not None:
            stack = [(top, ipath)]
            while stack:
                node, here = stack.pop()
                kids = node.kids
                items = kids.items() if isinstance(kids, dict) else enumerate(kids or ())
                for k, kid in items:
                    there = (*here, str(k))
                    if kid.op is not None:
                        labels += self.of(there)
                    stack.append((kid, there))
        result = list(dict.fromkeys(labels))
        self._under[ipath] = result
        return result

    def error_touches(self, record: Any) -> bool:
        """Whether what ``record`` looked at, found or not, holds a secret: a lookup that
        failed under a secret value quotes that value in its message."""
        if not self.possible:
            return False
        if record.secrets:
            return True
        for read, ok in record.reads:
            if ok:
                found = self.locate(read)
                if found is not None and self.under(found[0]):
                    return True
                continue
            for n in range(len(read) - 1, 0, -1):  # the deepest place the lookup reached
                found = self.locate(read[:n])
                if found is not None:
                    if self.of(found[0]):
                        return True
                    break
        return False

    def placeholder(self, ipath: Path) -> str:
        """``<vault secret/x:key>`` for a secret (or a copy of one), else ``<derived from ...>``."""
        trace, rest = nearest(self.root, ipath)
        record = trace.op
        while record is not None and record.follows and not record.secrets:
            found = self.locate(self.reads(record, rest)[0][0])
            if found is None:
                break
            trace, rest = nearest(self.root, found[0])
            record = trace.op
        if record is not None and record.secrets:
            labels = ", ".join(dict.fromkeys(record.secrets))
            # a part of a secret map (nats reads YAML and JSON): the secret, and where in it
            return f"<{labels}>" if not rest else f"<{labels}, at {'.'.join(rest)}>"
        return f"<derived from {', '.join(self.of(ipath))}>"
