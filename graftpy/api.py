"""The library API: ``graftpy.merge(...)`` and ``graftpy.dumps(...)``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from graftpy.pipeline import MergeOptions, Source, evaluate_tree, load_sources, merge_sources

SourceLike = str | os.PathLike[str] | Mapping[str, Any]


def _to_sources(sources: Sequence[SourceLike], options: MergeOptions) -> list[Source]:
    """Paths are read from disk, strings holding a newline or ':' are YAML text, maps are data."""
    from graftpy import yamlio

    out: list[Source] = []
    for i, src in enumerate(sources):
        if isinstance(src, Mapping):
            out.append(Source(f"<dict {i}>", _plain(src)))
        elif isinstance(src, os.PathLike) or (
            isinstance(src, str) and "\n" not in src and os.path.exists(src)
        ):
            out.extend(load_sources([os.fspath(src)], options))
        elif isinstance(src, str):
            name = f"<string {i}>"
            for j, doc in enumerate(yamlio.load_documents(src, name, multi_doc=options.multi_doc)):
                doc_name = f"{name}[{j}]" if options.multi_doc else name
                if options.go_patch and isinstance(doc, list):
                    out.append(Source(doc_name, doc, is_patch=True))
                else:
                    out.append(Source(doc_name, yamlio.require_map(doc, doc_name)))
        else:
            raise TypeError(
                f"cannot merge a {type(src).__name__}: pass a path, YAML text or a dict"
            )
    return out


def _plain(value: Any) -> Any:
    """Copy mappings/sequences into plain dicts and lists (the pipeline mutates its input)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def merge(
    *sources: SourceLike,
    prune: Sequence[str] = (),
    cherry_pick: Sequence[str] = (),
    skip_eval: bool = False,
    fallback_append: bool = False,
    go_patch: bool = False,
    multi_doc: bool = False,
    parallel: bool | None = None,
    strategy: str | None = None,
    workers: int | None = None,
    env: Mapping[str, str] | None = None,
) -> dict:
    """Merge ``sources`` left to right and evaluate their operators; returns plain data.

    Each source is a file path, a string of YAML text, or a dict. Raises
    ``graftpy.GraftError`` (with ``.path``, ``.file``, ``.line`` where known) on bad input.
    """
    options = MergeOptions(
        skip_eval=skip_eval,
        prune=list(prune),
        cherry_pick=list(cherry_pick),
        fallback_append=fallback_append,
        go_patch=go_patch,
        multi_doc=multi_doc,
        parallel=parallel,
        strategy=strategy,
        workers=workers,
        env=env,
    )
    merger = merge_sources(_to_sources(sources, options), options)
    return evaluate_tree(merger, options)


def dumps(data: Any, *, preserve_order: bool = False) -> str:
    """``data`` as graft prints it (the CLI adds one trailing newline)."""
    from graftpy import yamlio

    return yamlio.dump_yaml(data, preserve_order=preserve_order)


__all__ = ["dumps", "merge"]
