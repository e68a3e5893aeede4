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
    """The output of a run, and the ``Explainer`` of every place in it."""

    def __init__(self, output: dict, explainer: Explainer) -> None:
        self.output = output
        self.explainer = explainer


def explained_merge(
    files: Sequence[str], options: Any, *, preserve_order: bool = False
) -> ExplainedRun:
    """Load, merge and evaluate ``files`` as ``run_merge`` does, recording provenance."""
    from graftpy.pipeline import load_sources

    return explained_sources(load_sources(files, options), options, preserve_order=preserve_order)


def explained_sources(
    sources: Sequence[Any], options: Any, *, preserve_order: bool = False
) -> ExplainedRun:
    """``explained_merge`` of documents already loaded (``graftpy.pipeline.Source``)."""
    from graftpy.merging.tracing import MergeTracer
    from graftpy.pipeline import evaluate_tree, merge_sources
    from graftpy.provenance.evaluation import EvalRecorder

    tracer = MergeTracer()
    merger = merge_sources(sources, options, tracer)
    recorder = EvalRecorder(tracer.root)
    output = evaluate_tree(merger, options, recorder=recorder)
    full = recorder.before_postprocess if recorder.before_postprocess is not None else merger.tree
    secrets = any(record.secrets for record in recorder.records)
    explainer = Explainer(
        output, full, tracer.root, preserve_order=preserve_order, secrets_possible=secrets
    )
    return ExplainedRun(output, explainer)
