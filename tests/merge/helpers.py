"""Helpers shared by the merge tests."""

from __future__ import annotations

from graftpy.errors import PathError
from graftpy.merging import Merger


def merge_all(*docs: dict, **kw: object) -> Merger:
    """Merge documents left to right, the way the pipeline does."""
    m = Merger(**kw)  # type: ignore[arg-type]
    for i, doc in enumerate(docs):
        m.merge(doc, f"doc{i}.yml")
    return m


def error_lines(m: Merger) -> list[str]:
    """The ` - $.path: message` lines graft would print, sorted."""
    out = []
    for e in m.errors():
        assert isinstance(e, PathError)
        out.append(e.line_text)
    return sorted(out)
