"""The one exception family graftpy raises.

Every error knows how it is printed on stderr (``render``), so the CLI never
formats messages itself and never shows a traceback. Errors found at a place in
the document carry its ``$.path``; errors found while reading a file carry the
file name and, where known, the line and column.
"""

from __future__ import annotations

from collections.abc import Iterable


class GraftError(Exception):
    """Base class of every error graftpy raises on bad input.

    ``path`` is the document path without the ``$.`` prefix (``jobs.web``),
    ``file``/``line``/``column`` locate the error in an input file when known.
    ``show_origin`` (``--show-origin``) makes ``render`` name the file and line of
    each error about a place in the document; by default the text is graft's.
    """

    exit_code = 2
    show_origin = False

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    @property
    def origin(self) -> str | None:
        """``file:line`` (or the file alone) the error is about, when known."""
        if self.file is None:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file

    def render(self) -> str:
        """The exact text the CLI writes to stderr for this error."""
        return f"{self.message}\n"


class PathError(GraftError):
    """An error at one place in the document, printed as `` - $.path: message``."""

    def __init__(self, path: str, message: str, **kw: object) -> None:
        super().__init__(message, path=path, **kw)  # type: ignore[arg-type]

    @property
    def line_text(self) -> str:
        return f" - $.{self.path}: {self.message}" if self.path else f" - $: {self.message}"

    def render(self) -> str:
        multi = MultiError([self])
        multi.show_origin = self.show_origin
        return multi.render()


class MultiError(GraftError):
    """Several errors reported together, sorted, in graft's format::

    2 error(s) detected:
     - $.a: first
     - $.b: second
    """

    def __init__(self, errors: Iterable[GraftError]) -> None:
        flat: list[GraftError] = []
        for e in errors:
            flat.extend(e.errors if isinstance(e, MultiError) else [e])
        self.errors = flat
        super().__init__(self._text())

    def _lines(self) -> list[str]:
        out = []
        for e in self.errors:
            text = e.line_text if isinstance(e, PathError) else f" - {e.message}"
            origin = e.origin if self.show_origin else None
            out.append((text, f" - {origin}: {text[3:]}" if origin else text))
        return [shown for _, shown in sorted(out)]  # sorted as graft sorts its lines

    def _text(self) -> str:
        return f"{len(self.errors)} error(s) detected:\n" + "\n".join(self._lines()) + "\n"

    def render(self) -> str:
        return self._text() + "\n\n"

    def locate(self, *, show: bool) -> None:
        """The errors now carry their file and line; ``show``: ``render`` names them."""
        self.show_origin = show
        if len(self.errors) == 1:
            self.file, self.line = self.errors[0].file, self.errors[0].line


class FileError(GraftError):
    """A problem with an input file as a whole, printed as ``file: message``."""

    def render(self) -> str:
        return f"{self.file}: {self.message}\n\n"


class UsageError(GraftError):
    """Bad command-line use."""

    exit_code = 1
