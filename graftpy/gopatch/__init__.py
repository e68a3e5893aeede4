"""go-patch operation files (``--go-patch``), applied where they appear in the file list.

With ``--go-patch``, a file whose root is a list is a list of operations::

    - type: replace            # replace | remove | test
      path: /jobs/name=web/instances
      value: 3
      error: optional text prepended to a failure

API:

- :func:`is_gopatch` tells whether a loaded document is an operation file.
- :func:`apply` applies one file's operations to the merged tree so far and
  returns the new tree. Errors are :class:`GoPatchError` with graft's text.
"""

from __future__ import annotations

from typing import Any

from graftpy.errors import GraftError

__all__ = ["GoPatchError", "apply", "is_gopatch"]


class GoPatchError(GraftError):
    """A go-patch file that cannot be read or applied.

    ``render()`` gives graft's exact stderr text: for a malformed file it names
    the file; a failed operation reads ``Merge failed: <go-patch message>``.
    """

    def __init__(self, message: str, *, stderr: str, file: str | None = None) -> None:
        super().__init__(message, file=file)
        self.stderr = stderr

    def render(self) -> str:
        return self.stderr


def is_gopatch(doc: Any) -> bool:
    """graft treats a document as go-patch (with ``--go-patch``) when its root is a list."""
    return isinstance(doc, list)


def apply(tree: Any, ops_doc: Any, source: str) -> Any:
    """Apply the operations of ``ops_doc`` (loaded from ``source``) to ``tree``.

    ``tree`` may be changed in place; use the returned value.
    """
    from graftpy.gopatch.definitions import DefinitionError, parse_operations
    from graftpy.gopatch.ops import OpError

    try:
        operations = parse_operations(ops_doc, source)
    except DefinitionError as exc:
        raise GoPatchError(exc.text, stderr=f"{source}: {exc.text}\n\n", file=source) from None
    for operation in operations:
        try:
            tree = operation.apply(tree)
        except OpError as exc:
            raise GoPatchError(str(exc), stderr=f"Merge failed: {exc}\n", file=source) from None
    return tree
