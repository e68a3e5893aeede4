"""Merging YAML texts with provenance on, and checking the traces against the data."""

from __future__ import annotations

import textwrap
from typing import Any

from graftpy.merging import Merger
from graftpy.merging.tracing import MergeTracer
from graftpy.provenance.trace import Trace, key_text, trace_at
from graftpy.yamlio.loader import parse_first_document
from graftpy.yamlio.positions import line_table


def parse(text: str, name: str = "t.yml") -> tuple[Any, Any]:
    text = textwrap.dedent(text)
    root = parse_first_document(text, name)
    if not isinstance(root, dict | list):
        root = {}  # an empty document, as the pipeline reads it
    return root, line_table(text, root)


def traced_merge(*texts: str, **kw: Any) -> tuple[Merger, Merger]:
    """(plain merger, traced merger) of ``texts`` as files f1.yml, f2.yml, ..."""
    plain = Merger(**kw)
    traced = Merger(tracer=MergeTracer(), **kw)
    for i, text in enumerate(texts, 1):
        root, lines = parse(text, f"f{i}.yml")
        plain.merge(root, f"f{i}.yml")
        traced.merge(root, f"f{i}.yml", lines)
    return plain, traced


def assert_mirrors(data: Any, t: Trace, path: str = "$") -> None:
    """The trace has the document's shape, and every leaf at least one event."""
    if isinstance(data, dict):
        assert isinstance(t.kids, dict), path
        assert set(t.kids) == {key_text(k) for k in data}, path
        for k, v in data.items():
            assert_mirrors(v, t.kids[key_text(k)], f"{path}.{k}")
    elif isinstance(data, list):
        assert isinstance(t.kids, list) and len(t.kids) == len(data), path
        for i, v in enumerate(data):
            assert_mirrors(v, t.kids[i], f"{path}.{i}")
    else:
        assert t.kids is None, path
        assert t.events, f"{path} has no events"


def history(merger: Merger, *path: str) -> list[tuple]:
    """(action, file, line, value, rule) of each event at ``path`` (list entries by index)."""
    node = trace_at(merger.tracer.root, path)
    assert node is not None, path
    return [(e.action, e.file, e.line, e.value, e.rule) for e in node.events]
