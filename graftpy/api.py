"""The library API: ``graftpy.merge(...)`` and ``graftpy.dumps(...)``.

>>> import graftpy
>>> graftpy.merge({"meta": {"env": "prod"}}, "name: (( concat \\"app-\\" meta.env ))",
...               prune=["meta"])
{'name': 'app-prod'}

Every failure on bad input is a ``graftpy.GraftError``: ``.path`` (the document
path, ``jobs.web``), ``.file``, ``.line`` and ``.column`` where known (an
operator that failed: the file and line it was written at); a
``graftpy.MultiError`` holds several in ``.errors``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from graftpy.errors import GraftError
from graftpy.pipeline import (
    InputError,
    MergeOptions,
    Source,
    evaluate_tree,
    load_sources,
    merge_sources,
)

SourceLike = str | os.PathLike[str] | Mapping[str, Any]


def _to_sources(sources: Sequence[SourceLike], options: MergeOptions) -> list[Source]:
    """Maps are data; ``PathLike`` objects are files; a string is a file when it holds no
    newline and names one that exists, else YAML text (one line of YAML must be a map)."""
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
            out.extend(_text_sources(src, f"<string {i}>", options, yamlio))
        else:
            raise TypeError(
                f"cannot merge a {type(src).__name__}: pass a path, YAML text or a dict"
            )
    return out


def _text_sources(text: str, name: str, options: MergeOptions, yamlio: Any) -> list[Source]:
    from graftpy.yamlio.documents import load_parts

    named = load_parts(text, name, multi_doc=options.multi_doc, go_patch=options.go_patch)
    if "\n" not in text and not any(isinstance(doc, (dict, list)) for _, doc, _ in named):
        # "prod.yml" with no such file: say so, rather than "not a hash/map"
        raise InputError(f"Error reading file {text}: open {text}: no such file or directory")
    out = []
    for doc_name, doc, part in named:
        if options.go_patch and isinstance(doc, list):
            out.append(Source(doc_name, doc, True, part))
        else:
            out.append(Source(doc_name, yamlio.require_map(doc, doc_name), False, part))
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
    prune: str | Sequence[str] = (),
    cherry_pick: str | Sequence[str] = (),
    skip_eval: bool = False,
    fallback_append: bool = False,
    go_patch: bool = False,
    multi_doc: bool = False,
    parallel: bool | None = None,
    strategy: str | None = None,
    workers: int | None = None,
    min_ops: int | None = None,
    targets: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> dict:
    """Merge ``sources`` left to right and evaluate their operators; returns plain data.

    Each source is a file path, a string of YAML text, or a dict. The options are the
    command line's and are checked as it checks them (``prune=["meta"]`` or
    ``prune="meta"`` is ``--prune meta``; a bad ``strategy`` or ``workers`` raises
    ``graftpy.arguments.ArgumentError``, a ``GraftError`` and a ``ValueError``); ``env``
    replaces the process environment for this call (``(( grab $VAR ))``, ``VAULT_ADDR``,
    ``REDACT``, ...). Raises ``graftpy.GraftError`` (with ``.path``, ``.file``, ``.line``
    where known).
    """
    from graftpy import arguments as check
    from graftpy.config import STRATEGIES

    strategy = check.choice("strategy", strategy, STRATEGIES)
    workers, min_ops = check.count("workers", workers), check.count("min_ops", min_ops)
    parallel = check.flag("parallel", parallel, optional=True)
    if parallel is None and (strategy, workers, min_ops) != (None, None, None):
        parallel = True  # as on the command line: a strategy or workers ask for parallelism
    options = MergeOptions(
        skip_eval=check.flag("skip_eval", skip_eval),
        prune=check.paths("prune", prune),
        cherry_pick=check.paths("cherry_pick", cherry_pick),
        fallback_append=check.flag("fallback_append", fallback_append),
        go_patch=check.flag("go_patch", go_patch),
        multi_doc=check.flag("multi_doc", multi_doc),
        parallel=parallel,
        strategy=strategy,
        workers=workers,
        min_ops=min_ops,
        targets_file=check.path("targets", targets),
        env=check.environment("env", env),
    )
    loaded = _to_sources(sources, options)
    try:
        return evaluate_tree(merge_sources(loaded, options), options)
    except GraftError as exc:  # say which file and line each error is about
        from graftpy.provenance.origins import locate_errors

        locate_errors(exc, loaded, options)
        raise


def dumps(data: Any, *, preserve_order: bool = False) -> str:
    """``data`` as graft prints it (the CLI adds one trailing newline)."""
    from graftpy import yamlio

    return yamlio.dump_yaml(data, preserve_order=preserve_order)


__all__ = ["dumps", "merge"]
