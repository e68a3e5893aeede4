"""``graftpy fan SOURCE TARGET...``: merge one source document into many targets.

Every document of every TARGET file (files are split on ``\\n---\\n`` as graft
splits them, named ``file[i]``) is merged on top of SOURCE on its own, with the
same options as ``merge``; the results are printed one after the other, each
as ``---`` + the YAML + a blank line. With ``-m`` the SOURCE file is split too:
its first document is the source, its other documents are targets (first).
When standard input is piped, ``-`` (STDIN) is added as the last file.

API::

    text = fan_files(["source.yml", "targets.yml"], MergeOptions(prune=["meta"]))
    trees = fan_trees(("source.yml", source_text), [("t.yml[0]", text0), ...], options)

Merging goes through ``graftpy.pipeline.merge_sources`` and ``evaluate_tree``
(a go-patch operation list allowed among the documents).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graftpy.errors import GraftError

MISSING_SOURCE = (
    "Missing Input: You must specify at least a source document to graft fan. If no files are "
    "specified, STDIN is used. Using STDIN for source and target docs only works with -m."
)
MISSING_TARGET = (
    "Missing Input: You must specify at least one target document to graft fan. If no files are "
    "specified, STDIN is used. Using STDIN for source and target docs only works with -m."
)

Merge = Callable[[list[tuple[str, Any]], Any], dict]


class FanError(GraftError):
    """A fan invocation without a source or without any target document."""


def fan_files(
    files: Sequence[str],
    options: Any = None,
    *,
    stdin_piped: bool | None = None,
    preserve_order: bool = False,
) -> str:
    """Run graft's ``fan`` on ``files``; returns the text graft prints on stdout.

    ``stdin_piped`` (default: detected) adds ``-`` as the last file, as graft does.
    Metrics, when asked for, count the whole fan as one run.
    """
    from graftpy.pipeline import MergeOptions, metrics_session

    options = options or MergeOptions()
    metrics = metrics_session(options)
    succeeded = False
    try:
        text = _fan(files, options, stdin_piped, preserve_order, metrics)
        succeeded = True
        return text
    finally:
        if metrics is not None:  # record the run, write the file, push, stop serving
            metrics.finish(succeeded)


def _fan(
    files: Sequence[str],
    options: Any,
    stdin_piped: bool | None,
    preserve_order: bool,
    metrics: Any,
) -> str:
    from graftpy import progress
    from graftpy.pipeline import stdin_is_terminal

    files = list(files)
    if stdin_piped is None:
        stdin_piped = not stdin_is_terminal()
    if stdin_piped:
        files.append("-")
    if not files:
        raise FanError(MISSING_SOURCE)
    source_path, target_paths = files[0], files[1:]
    progress.phase_started(progress.READ, len(files), unit="files")
    targets: list[tuple[str, str]] = []
    if options.multi_doc:
        chunks = _split_file(source_path, metrics)
        if not chunks:
            raise FanError(MISSING_SOURCE)
        source, targets = chunks[0], chunks[1:]
    else:
        _check_readable(source_path)
    for path in target_paths:
        targets += _split_file(path, metrics)
    if not options.multi_doc:
        source = _read_file(source_path, metrics)
    if not targets:
        raise FanError(MISSING_TARGET)
    trees = fan_trees(source, targets, options, _pipeline_merge(metrics))
    return render(trees, preserve_order=preserve_order)


def fan_trees(
    source: tuple[str, str],
    targets: Sequence[tuple[str, str]],
    options: Any,
    merge: Merge | None = None,
) -> list[dict]:
    """Merge ``source`` into each target; every argument is ``(name, YAML text)``.

    The source text is parsed afresh for every merge, so no merge sees another's changes.
    """
    merge = merge or _pipeline_merge()
    trees = []
    for target in targets:
        docs = _load(source, options) + _load(target, options)
        trees.append(merge(docs, options))
    return trees


def render(trees: Sequence[dict], *, preserve_order: bool = False) -> str:
    """graft's fan output: ``---``, the document, then a blank line, for each result."""
    from graftpy import yamlio

    return "".join(
        f"---\n{yamlio.dump_yaml(tree, preserve_order=preserve_order)}\n" for tree in trees
    )


def split_documents(text: str) -> list[str]:
    """graft's split of a file into documents: on ``\\n---\\n``, dropping an empty first part."""
    parts = text.split("\n---\n")
    return parts[1:] if parts[0] == "" else parts


def _read_file(path: str, metrics: Any = None, documents: int = 1) -> tuple[str, str]:
    from graftpy import progress, yamlio
    from graftpy.yamlio.loader import read_source

    progress.detail(path)
    data, name = read_source(path)
    text = data.decode("utf-8", errors="replace")
    if metrics is not None:  # metrics on: count documents and bytes read
        metrics.input_read(documents if documents else len(split_documents(text)), len(data))
    progress.operation_done()
    return yamlio.display_name(name), text


def _check_readable(path: str) -> None:
    """graft opens the source before reading any target: a missing source fails first."""
    if path == "-":
        return
    import os

    from graftpy.yamlio.errors import InputReadError
    from graftpy.yamlio.loader import _go_errno_text

    try:  # O_NONBLOCK: a FIFO without a writer must not block here (reading it is timed)
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    except IsADirectoryError:
        return  # reading it fails later, as in graft
    except OSError as exc:
        raise InputReadError(
            f"Error reading file {path}: open {path}: {_go_errno_text(exc)}"
        ) from None


def _split_file(path: str, metrics: Any = None) -> list[tuple[str, str]]:
    name, text = _read_file(path, metrics, documents=0)
    return [(f"{name}[{i}]", part) for i, part in enumerate(split_documents(text))]


class _Loaded(tuple):
    """``(name, document)``, with the text it was read from (for ``--show-origin``)."""

    text: str | bytes | None = None


def _load(named_text: tuple[str, str], options: Any) -> list[tuple[str, Any]]:
    from graftpy.yamlio.documents import load_parts

    name, text = named_text
    out = []
    for doc_name, doc, part in load_parts(text, name, go_patch=options.go_patch):
        loaded = _Loaded((doc_name, doc))
        loaded.text = part
        out.append(loaded)
    return out


def _pipeline_merge(metrics: Any = None) -> Merge:
    """Merge and evaluate one fan target (its evaluation observed when metrics are on)."""
    from graftpy import pipeline

    def merge(docs: list[tuple[str, Any]], options: Any) -> dict:
        from graftpy import gopatch, yamlio

        sources = []
        for entry in docs:
            name, doc = entry
            text = getattr(entry, "text", None)
            if options.go_patch and gopatch.is_gopatch(doc):
                sources.append(pipeline.Source(name, doc, True, text))
            else:
                sources.append(pipeline.Source(name, yamlio.require_map(doc, name), False, text))
        try:
            merger = pipeline.merge_sources(sources, options)
            return pipeline.evaluate_tree(merger, options, metrics)
        except GraftError as exc:
            if options.show_origin:  # --show-origin: each error's file and line
                from graftpy.provenance.origins import locate_errors

                locate_errors(exc, sources, options)
            raise

    return merge
