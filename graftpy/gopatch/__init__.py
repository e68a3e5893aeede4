"""go-patch operation files (``--go-patch``), applied where they appear in the file list.

With ``--go-patch``, a file whose root is a list is a list of operations::

    - type: replace            # replace | remove | test
      path: /jobs/name=web/instances
      value: 3
      error: optional text prepended to a failure

API:

- :func:`is_gopatch` tells whether a loaded document is an operation file.
- :func:`check` reads the operations of a file and raises on a malformed one
  (graft does so when it reads the file, before merging).
- :func:`apply` applies one file's operations to the merged tree so far and
  returns the new tree. Errors are :class:`GoPatchError` with graft's text.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError

__all__ = ["GoPatchError", "apply", "check", "is_gopatch"]


class GoPatchError(GraftError):
    """A go-patch file that cannot be read or applied.

    ``render()`` gives graft's exact stderr text: for a malformed file it names
    the file; a failed operation reads ``Merge failed: <go-patch message>``.
    """

    def __init__(
        self, message: str, *, stderr: str, file: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message, file=file, line=line)
        self.stderr = stderr

    def render(self) -> str:
        if self.show_origin and self.line is not None:  # --show-origin: where the operation is
            return f"{self.origin}: {self.stderr}"
        return self.stderr


def is_gopatch(doc: Any) -> bool:
    """graft treats a document as go-patch (with ``--go-patch``) when its root is a list."""
    return isinstance(doc, list)


def check(ops_doc: Any, source: str) -> None:
    """Raise :class:`GoPatchError` when ``ops_doc`` holds a malformed operation.

    graft reads a go-patch file's operations when it reads the file, so such an
    error is reported before anything is merged.
    """
    _operations(ops_doc, source)


def _operations(ops_doc: Any, source: str) -> list[Any]:
    from graftpy.gopatch.definitions import DefinitionError, parse_operations

    try:
        return parse_operations(ops_doc, source)
    except DefinitionError as exc:
        stderr = f"{source}: {exc.markup}{exc.text}\n\n"
        raise GoPatchError(exc.text, stderr=stderr, file=source) from None


def apply(tree: Any, ops_doc: Any, source: str, *, tracer: Any = None, lines: Any = None) -> Any:
    """Apply the operations of ``ops_doc`` (loaded from ``source``) to ``tree``.

    ``tree`` may be changed in place; use the returned value. With a ``tracer``
    (``graftpy.merging.tracing.MergeTracer``: provenance on), each operation is
    recorded at the place it changed, with its line from ``lines``
    (``graftpy.yamlio.positions.Lines`` of ``ops_doc``).
    """
    from graftpy.gopatch.ops import OpError

    operations = _operations(ops_doc, source)
    if tracer is not None:
        tracer.begin(source, lines)
    for i, operation in enumerate(operations):
        commit = None if tracer is None else _planned(operation, tree, tracer, ops_doc, i, lines)
        try:
            tree = operation.apply(tree)
        except OpError as exc:
            line = lines.line(ops_doc, i) if lines is not None else None
            raise GoPatchError(
                str(exc), stderr=f"Merge failed: {exc}\n", file=source, line=line
            ) from None
        if commit is not None:
            commit()
    return tree


def require_map(tree: Any, source: str) -> None:
    """graft's check that the patched document is still a map: refused as it is
    merged into or printed, not between two patches (a later one may mend it)."""
    if not isinstance(tree, dict):
        problem = "go-patch operations resulted in non-map data"
        raise GoPatchError(problem, stderr=f"Merge failed: {problem}\n", file=source)


def _planned(operation: Any, tree: Any, tracer: Any, ops_doc: list, i: int, lines: Any) -> Any:
    from graftpy.gopatch.trace import plan

    line = value_line = None
    if lines is not None:
        line = lines.line(ops_doc, i)
        value_line = lines.line(ops_doc[i], "value")
    return plan(operation, tree, tracer, line, value_line)
