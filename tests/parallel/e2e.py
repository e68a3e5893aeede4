"""Running the real pipeline (merge, evaluate, post-process, emit) with a given executor."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import graftpy.evaluator as evaluator_pkg
from graftpy.errors import GraftError
from graftpy.pipeline import MergeOptions, Source, evaluate_tree, merge_sources

DEFAULT = "default settings"


@contextlib.contextmanager
def executor_in_pipeline(executor: Any) -> Iterator[None]:
    """Make the pipeline's evaluator use ``executor`` (None: the sequential one)."""
    real = evaluator_pkg.EvaluationOptions
    if executor is None:
        yield
        return

    def options(**kw: Any) -> Any:
        return real(executor=executor, **kw)

    evaluator_pkg.EvaluationOptions = options  # type: ignore[misc, assignment]
    try:
        yield
    finally:
        evaluator_pkg.EvaluationOptions = real  # type: ignore[misc]


def merge_docs(
    docs: list[dict], executor: Any = None, env: dict[str, str] | None = None, **opts: Any
) -> tuple[str | None, str | None]:
    """(stdout, stderr) of merging ``docs`` as ``graftpy merge`` would print them.

    ``executor``: None for the sequential run, ``DEFAULT`` for the default settings
    (parallel, adaptive, automatic), else the executor to run every phase with.
    """
    from graftpy import yamlio

    if executor is DEFAULT:
        executor = None
    else:
        opts.setdefault("parallel", False)  # the pipeline keeps the executor given here
    options = MergeOptions(env=env or {}, **opts)
    sources = [Source(f"doc{i}.yml", copy.deepcopy(d)) for i, d in enumerate(docs)]
    try:
        with executor_in_pipeline(executor):
            tree = evaluate_tree(merge_sources(sources, options), options)
    except GraftError as exc:
        return None, exc.render()
    return yamlio.dump_yaml(tree) + "\n", None
