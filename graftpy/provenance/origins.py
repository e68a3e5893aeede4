"""File and line for the errors of a run, found after the fact.

A plain run keeps no positions. When it fails and the caller wants to know
where (the library always, the command line with ``--show-origin``),
``locate_errors`` merges the same documents again with provenance on: an error
the merge itself met is met again, now with its file and line; an error at a
place of the document (an operator that failed) gets the file and line that
wrote that place. This costs a second load of positions and a second merge,
on failure only. Errors about a place no file wrote (a key an inject brought
in, say) stay without a line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from graftpy.errors import GraftError, MultiError


def locate_errors(exc: GraftError, sources: Sequence[Any], options: Any) -> None:
    """Give ``exc`` (or the errors it holds) their file and line, where known.

    ``options.show_origin`` then makes ``exc.render()`` name them.
    """
    errors = exc.errors if isinstance(exc, MultiError) else [exc]
    wanted = [e for e in errors if e.line is None and (e.path is not None or _is_patch(e))]
    if wanted:
        # locating is a courtesy: whatever goes wrong there, the user's error stays as it is
        with contextlib.suppress(Exception):
            _locate(wanted, sources, options)
    if isinstance(exc, MultiError):
        exc.locate(show=options.show_origin)
    else:
        exc.show_origin = options.show_origin


def _is_patch(error: GraftError) -> bool:
    from graftpy.gopatch import GoPatchError

    return isinstance(error, GoPatchError)


def _locate(wanted: list[GraftError], sources: Sequence[Any], options: Any) -> None:
    from graftpy.merging.tracing import MergeTracer
    from graftpy.pipeline import merge_sources
    from graftpy.provenance.locate import locate_in
    from graftpy.provenance.trace import trace_at

    tracer = MergeTracer()
    try:
        merger = merge_sources(sources, options, tracer)
    except GraftError as again:  # the merge's own errors, met again with their lines
        found: dict[tuple[Any, str], list[GraftError]] = {}
        for e in again.errors if isinstance(again, MultiError) else [again]:
            found.setdefault((e.path, e.message), []).append(e)
        for e in wanted:
            same = found.get((e.path, e.message))
            if same:
                match = same.pop(0)
                e.file, e.line = match.file, match.line
        return
    for e in wanted:
        where = locate_in(merger.tree, tuple(e.path.split("."))) if e.path else None
        node = trace_at(tracer.root, where[0]) if where is not None else None
        if node is not None and node.events:
            e.file, e.line = node.events[-1].file, node.events[-1].line
