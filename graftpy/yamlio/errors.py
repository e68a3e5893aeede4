"""Errors raised while reading YAML/JSON input.

graft prints file problems in two shapes: ``file: message`` followed by a blank
line (``FileError``, from ``graftpy.errors``), and ``Error reading file ...``
with a single newline. Syntax errors name the file, line and column
(DIVERGENCES row 7: graft itself drops the position).
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError


def event_position(e: Any) -> dict[str, int]:
    """The 1-based ``line`` and ``column`` keywords of a parser event's start."""
    mark = e.start_mark
    return {"line": mark.line + 1, "column": mark.column + 1} if mark is not None else {}


class YAMLSyntaxError(GraftError):
    """The input is not valid YAML (or a scalar cannot take its explicit tag).

    ``line`` and ``column`` are 1-based; ``problem`` is the parser's own text.
    ``go_text`` is what go-yaml says after ``yaml: `` (graft's ``load`` shows it).
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
        go_text: str | None = None,
    ) -> None:
        where = ""
        if line is not None:
            where = f"line {line}, column {column}: " if column is not None else f"line {line}: "
        super().__init__(
            f"failed to parse YAML: {where}{problem}", file=source, line=line, column=column
        )
        self.problem = problem
        self.go_text = problem if go_text is None else go_text

    def render(self) -> str:
        return f"{self.file}: {self.message}\n\n"


class InputReadError(GraftError):
    """A file (or STDIN) could not be read; printed as graft prints it: one line."""

    def render(self) -> str:
        return f"{self.message}\n"


class DocumentError(GraftError):
    """A problem with one document, printed as ``file[i]: message`` on one line."""

    def render(self) -> str:
        return f"{self.file}: {self.message}\n"
