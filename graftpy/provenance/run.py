"""A merge run with provenance on: what ``graftpy explain`` and ``--explain-to`` use.

The same pipeline as a plain run (``graftpy.pipeline``), with three additions:
the loader's lines for every document, a ``MergeTracer`` in the merge (and the
go-patch files and ``--set`` values), and an ``EvalRecorder`` in the evaluator.
The output document is the very one a plain run prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graftpy.provenance.explain import Explainer


class ExplainedRun:
    """The output of a run, the ``Explainer`` of every place in it, and the evaluation's
    errors (a run that failed while evaluating is still explained, as far as it went)."""

    def __init__(self, output: dict, explainer: Explainer, error: Any = None) -> None:
        self.output = output
        self.explainer = explainer
        self.error = error  # the MultiError evaluation raised, or None


def explained_merge(
    files: Sequence[str], options: Any, *, preserve_order: bool = False
) -> ExplainedRun:
    """Load, merge and evaluate ``files`` as ``run_merge`` does, recording provenance.

    A failed merge raises as ``run_merge`` does (its errors carry file and line); a
    failed evaluation is returned in ``error``, with the document as it was left.
    """
    from graftpy.pipeline import load_sources, metrics_session

    metrics = metrics_session(options)  # --metrics-file/--metrics-push hold as for a merge
    succeeded = False
    try:
        run = explained_sources(
            load_sources(files, options, metrics, positions=True),
            options,
            preserve_order=preserve_order,
            metrics=metrics,
        )
        succeeded = run.error is None
        return run
    finally:
        if metrics is not None:
            metrics.finish(succeeded)


def explained_sources(
    sources: Sequence[Any], options: Any, *, preserve_order: bool = False, metrics: Any = None
) -> ExplainedRun:
    """``explained_merge`` of documents already loaded (``graftpy.pipeline.Source``);
    ``metrics``: the run's metrics session, or None."""
    from graftpy.errors import MultiError
    from graftpy.merging.tracing import MergeTracer
    from graftpy.pipeline import evaluate_tree, merge_sources
    from graftpy.provenance.evaluation import EvalRecorder

    tracer = MergeTracer()
    merger = merge_sources(sources, options, tracer)
    recorder = EvalRecorder(tracer.root)
    error = None
    try:
        output = evaluate_tree(merger, options, metrics, recorder=recorder)
        full = recorder.before_postprocess
    except MultiError as exc:
        error = exc
        full = recorder.before_postprocess
        if full is None:  # it stopped before post-processing: the document as evaluated
            full = recorder.evaluator.tree if recorder.evaluator is not None else merger.tree
        output = full
    if full is None:  # nothing to evaluate
        full = merger.tree
    secrets = any(record.secrets for record in recorder.records)
    explainer = Explainer(
        output, full, tracer.root, preserve_order=preserve_order, secrets_possible=secrets
    )
    explainer.removals = _removals(recorder.prune_paths, options)
    return ExplainedRun(output, explainer, error)


def _removals(prune_paths: Sequence[tuple[str, ...]], options: Any) -> list[tuple[tuple, str]]:
    """(path, why) of what post-processing removed, for values explained outside the output."""
    flags = {tuple(p.split(".")) for p in options.prune}
    found = [
        (p, f"pruned by --prune {'.'.join(p)}" if p in flags else "pruned by (( prune ))")
        for p in prune_paths
    ]
    if options.cherry_pick:
        found.append(((), "not picked by --cherry-pick"))
    return found
