"""``--help`` text that can be copied: flags, paths and words are never cut at a hyphen.

click wraps help text with ``textwrap``, which breaks ``--vault-addr`` into
``--vault-`` / ``addr`` and ``go-patch`` into ``go-`` / ``patch``. The ``graftpy``
group gives itself and every command ``HelpContext``, whose ``HelpFormatter``
hides hyphens from the wrapper, then puts them back.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

_HYPHEN = "\u2011"  # a non-breaking hyphen: textwrap does not break at it


class HelpFormatter(click.HelpFormatter):
    def write_text(self, text: str) -> None:
        start = len(self.buffer)
        super().write_text(text.replace("-", _HYPHEN))
        self._restore(start)

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        start = len(self.buffer)
        hidden = [(term, text.replace("-", _HYPHEN)) for term, text in rows]
        super().write_dl(hidden, col_max, col_spacing)
        self._restore(start)

    def _restore(self, start: int) -> None:
        self.buffer[start:] = [part.replace(_HYPHEN, "-") for part in self.buffer[start:]]


class HelpContext(click.Context):
    formatter_class = HelpFormatter
