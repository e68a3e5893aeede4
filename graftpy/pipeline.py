"""The merge pipeline as a library: load -> merge -> evaluate -> post-process.

The CLI and ``graftpy.merge()`` are thin layers over ``run_merge``.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from graftpy import collector, progress
from graftpy.errors import GraftError, MultiError
from graftpy.reading import NO_STDIN
from graftpy.tree import Path
from graftpy.yamlio.errors import InputReadError


class InputError(InputReadError):
    """A file that cannot be read, printed as graft prints it."""


class MergeOptions:
    """How a run merges and evaluates; every field has a default.

    A plain class rather than a dataclass: creating a dataclass of this size costs
    about 3 ms of every run's start-up.
    """

    def __init__(
        self,
        *,
        skip_eval: bool = False,
        prune: Sequence[str] = (),
        cherry_pick: Sequence[str] = (),
        fallback_append: bool = False,
        go_patch: bool = False,
        multi_doc: bool = False,
        dataflow_order: str = "alphabetical",  # or "insertion"
        env: Mapping[str, str] | None = None,  # None: the process environment
        parallel: bool | None = None,  # None: GRAFT_PARALLEL decides
        strategy: str | None = None,
        workers: int | None = None,
        min_ops: int | None = None,
        debug: bool = False,
        targets_file: str | None = None,  # --targets / GRAFT_TARGETS: named Vault/AWS targets
        # metrics (None: the GRAFT_METRICS* environment variables decide)
        metrics: bool | None = None,
        metrics_host: str | None = None,
        metrics_port: int | None = None,
        metrics_linger: float | None = None,
        metrics_file: str | None = None,
        metrics_push: str | None = None,
        metrics_job: str | None = None,
        metrics_labels: dict[str, str] | None = None,  # None: no labels
        extra: dict[str, Any] | None = None,  # None: empty (state shared with the evaluator)
        sets: Sequence[Any] = (),  # graftpy.overrides.Override: --set, set: (a last overlay)
        show_origin: bool = False,  # errors found the file and line they are about
    ) -> None:
        self.skip_eval = skip_eval
        self.prune = prune
        self.cherry_pick = cherry_pick
        self.fallback_append = fallback_append
        self.go_patch = go_patch
        self.multi_doc = multi_doc
        self.dataflow_order = dataflow_order
        self.env = env
        self.parallel = parallel
        self.strategy = strategy
        self.workers = workers
        self.min_ops = min_ops
        self.debug = debug
        self.targets_file = targets_file
        self.metrics = metrics
        self.metrics_host = metrics_host
        self.metrics_port = metrics_port
        self.metrics_linger = metrics_linger
        self.metrics_file = metrics_file
        self.metrics_push = metrics_push
        self.metrics_job = metrics_job
        self.metrics_labels: dict[str, str] = {} if metrics_labels is None else metrics_labels
        self.extra: dict[str, Any] = {} if extra is None else extra
        self.sets = sets
        self.show_origin = show_origin

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"MergeOptions({fields})"

    def __eq__(self, other: object) -> bool:
        return type(other) is MergeOptions and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  (mutable, so unhashable, as a dataclass)


class Source(NamedTuple):
    """One document to merge: a map, or a go-patch operation list.

    ``text`` is what ``data`` was read from (None for data given as such): the
    lines of its values are found there when they are wanted (``lines()``), unless
    the loader noted them as it read ``data`` (``noted``).
    """

    name: str
    data: Any
    is_patch: bool = False
    text: str | bytes | None = None
    first_line: int = 1  # the file's line ``text`` starts on (``-m`` documents)
    noted: Any = None  # the file's graftpy.yamlio.positions.Lines of ``data``, or None

    def lines(self) -> Any:
        """``graftpy.yamlio.positions.Lines`` of ``data``, or None without a text."""
        if self.noted is not None:
            return self.noted
        if self.text is None:
            return None
        from graftpy.yamlio.positions import line_table

        return line_table(self.text, self.data, first_line=self.first_line)


def stdin_is_terminal() -> bool:
    """True when nothing is piped in (graft checks for a character device)."""
    try:
        return stat.S_ISCHR(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return True


def read_bytes(path: str, bounds: Any = None) -> bytes:
    """The raw bytes of ``path`` (``-``: standard input), with graft's error texts.

    ``bounds``: a ``graftpy.reading.ReadLimits`` (default: the default limits).
    """
    from graftpy import reading

    if path == "-" and stdin_is_terminal():
        raise InputError(NO_STDIN)
    return reading.read_input(path, bounds or reading.ReadLimits())


def load_sources(
    files: Sequence[str], options: MergeOptions, metrics: Any = None, *, positions: bool = False
) -> list[Source]:
    """The documents of ``files``, read and checked as graft reads them.

    ``positions``: the loader notes where each value was written as it reads it
    (``Source.noted``; what explain wants of every document). Off, nothing is noted.
    """
    from graftpy import reading, yamlio
    from graftpy.yamlio.documents import load_noted_parts, load_parts

    progress.phase_started(progress.READ, len(files), unit="files")
    bounds = reading.limits(environment(options))
    # graft reads every file before it parses any: a file that cannot be read is
    # reported before a syntax error in an earlier one
    raw = []
    for path in files:
        name = "STDIN" if path == "-" else path
        progress.detail(name)
        raw.append((name, read_bytes(path, bounds)))
    sources: list[Source] = []
    how = {"multi_doc": options.multi_doc, "go_patch": options.go_patch, "warn": warner(options)}
    for name, data in raw:
        if positions:
            docs = load_noted_parts(data, name, **how)
        else:
            docs = [
                (doc_name, doc, text, None) for doc_name, doc, text in load_parts(data, name, **how)
            ]
        firsts = _first_lines(data, len(docs)) if options.multi_doc else [1]
        for (doc_name, doc, text, lines), first in zip(docs, firsts, strict=True):
            if lines is not None and first != 1:
                lines.shift(first - 1)  # the file's lines, not the part's
            if options.go_patch and isinstance(doc, list):
                from graftpy import gopatch

                gopatch.check(doc, doc_name)  # graft reads the operations with the file
                sources.append(Source(doc_name, doc, True, text, first, lines))
            else:
                doc = yamlio.require_map(doc, doc_name)
                sources.append(Source(doc_name, doc, False, text, first, lines))
        if metrics is not None:  # metrics on: count documents and bytes read
            metrics.input_read(len(docs), len(data))
        progress.operation_done()
    return sources


def _first_lines(data: str | bytes, count: int) -> list[int]:
    """The file's line each ``-m`` document starts on (explain's lines are the file's)."""
    from graftpy.yamlio.positions import part_first_lines

    firsts = part_first_lines(data)
    return firsts if len(firsts) == count else [1] * count


def merge_sources(sources: Sequence[Source], options: MergeOptions, tracer: Any = None) -> Any:
    """Merge documents left to right, applying go-patch files at their place, then
    ``--set`` values. ``tracer`` (``graftpy.merging.tracing.MergeTracer``): provenance."""
    from graftpy.merging import Merger

    env = environment(options)
    merger = Merger(
        fallback_append=options.fallback_append,
        array_merge_key=env.get("DEFAULT_ARRAY_MERGE_KEY"),
        tracer=tracer,
    )
    progress.phase_started(progress.MERGE, len(sources), unit="documents")
    regular = 0
    patched = None  # the last go-patch file, while the tree is as it left it
    for source in sources:
        progress.detail(source.name)
        lines = None if tracer is None else source.lines()
        if source.is_patch:
            from graftpy import gopatch

            merger.tree = gopatch.apply(
                merger.tree, source.data, source.name, tracer=tracer, lines=lines
            )
            patched = source.name
            progress.operation_done()
            continue
        if patched is not None:
            gopatch.require_map(merger.tree, patched)
            patched = None
        merger.merge(source.data, source.name, lines)
        progress.operation_done()
        regular += 1
        errors = merger.errors()
        if errors:  # graft stops at the first document that does not merge
            _write_warnings(merger, options)
            raise MultiError(errors) if regular == 1 else merge_failure(errors)
    if patched is not None:
        gopatch.require_map(merger.tree, patched)
    if options.sets:
        from graftpy.overrides import apply_overrides

        apply_overrides(merger, options.sets)
    _write_warnings(merger, options)
    errors = merger.errors()
    if errors:
        raise MultiError(errors)
    return merger


# graft prints a later document's merge errors only when their text holds one of
# these; otherwise its whole report is one line (merge_builder_impl.go, isMergerError)
_DETAILED_MERGE_ERRORS = (
    "cannot merge by key",
    "inappropriate use of",
    "unable to find specified modification point",
    "item in array directly after",
)


class MergeFailure(MultiError):
    """Errors merging a document after the first, which graft reports without detail."""

    def render(self) -> str:
        return "Merge failed: merge_error: failed to merge documents\n"


def merge_failure(errors: list[GraftError]) -> MultiError:
    """graft's report of a document after the first that does not merge."""
    report = MultiError(errors)
    if any(marker in report.message for marker in _DETAILED_MERGE_ERRORS):
        return report
    return MergeFailure(errors)  # the details stay on .errors for library callers


def _write_warnings(merger: Any, options: MergeOptions) -> None:
    for line in merger.warnings:
        warn(options, line)


def warn(options: MergeOptions, line: str) -> None:
    """A warning of the run (one line): on stderr, or appended to the list
    ``options.extra["warnings"]`` when there is one (``graftpy render`` collects each
    target's warnings there, to print them under its name)."""
    sink = options.extra.get("warnings")
    if sink is None:
        sys.stderr.write(line + "\n")
    else:
        sink.append(line)


def warner(options: MergeOptions) -> Any:
    """``warn`` for ``options``, as a one-argument callable (the loader's ``warn=``)."""
    return lambda line: warn(options, line)


def environment(options: MergeOptions) -> dict[str, str]:
    return dict(os.environ if options.env is None else options.env)


def evaluate_tree(
    merger: Any, options: MergeOptions, metrics: Any = None, recorder: Any = None
) -> dict:
    """Evaluate operators, then prune, sort and cherry-pick (graft's order).

    ``metrics``: the run's ``graftpy.metrics.session.MetricsSession``, or None (off);
    anything with its ``run(evaluator)`` and ``on_phase`` will do.
    ``options.extra``: ``vault_refs`` and ``vault_candidates`` (dicts the vault
    operators record their paths in), ``warnings`` (a list that takes the run's
    warnings instead of stderr) and ``backends`` (a ``graftpy.backends.registry.Backends`` to use instead of a
    new one) reach the evaluator's run state.
    ``recorder``: ``graftpy.provenance.evaluation.EvalRecorder`` (explain), or None.
    """
    from graftpy import postprocess

    tree = merger.tree
    # graft splits --prune / --cherry-pick on dots only, and prunes the flag's paths
    # first, then merge-time (( prune )) markers, then those the evaluator met
    prune_paths: list[Path] = [tuple(p.split(".")) for p in options.prune]
    prune_paths += merger.prune_paths
    picks = [tuple(p.split(".")) for p in options.cherry_pick]
    errors: list[GraftError] = []
    if not options.skip_eval and has_expressions(tree):
        from graftpy.evaluator import Evaluator

        if options.debug:
            debug_backend_log()

        env = environment(options)
        settings = evaluation_settings(options, env)
        eval_options = evaluation_options(options)
        on_phase = None if metrics is None else metrics.on_phase
        executor = parallel_executor(options, env, on_phase)
        shared = options.extra.get("backends")
        if executor is not None:
            eval_options.executor = executor
            # I/O starts after the scan; not in render's targets (render read ahead)
            eval_options.read_ahead = shared is None
        evaluator = Evaluator(tree, settings, eval_options)
        for name in ("vault_refs", "vault_candidates"):  # graftpy vaultinfo collects these
            if name in options.extra:
                setattr(evaluator.state, name, options.extra[name])
        if "warnings" in options.extra:  # inject's merge warnings join the run's
            evaluator.state.extra["warnings"] = options.extra["warnings"]
        if shared is not None:  # graftpy render: the backend layer all targets share
            evaluator.state.extra["backends"] = shared
        if recorder is not None:
            recorder.attach(evaluator)
        try:
            errors = evaluator.run() if metrics is None else metrics.run(evaluator)
        finally:  # the run's own backends let go of their connections (NATS's too);
            # shared ones are closed by their owner
            backends = evaluator.state.extra.get("backends")
            if backends is not None and backends is not shared:
                backends.close()
        prune_paths += evaluator.state.prune_paths
        tree = evaluator.tree
        if errors and _only_param_errors(evaluator):
            raise MultiError(errors)
    on_sort = None
    if recorder is not None:
        tree = recorder.evaluated(tree, prune_paths)  # a shallow copy: pruning leaves the original
        on_sort = recorder.sorted
    postprocess.prune(tree, prune_paths)
    postprocess.sort_lists(tree, merger.sort_paths, on_sort)
    if errors:
        raise MultiError(errors)
    if picks:
        tree = postprocess.cherry_pick(tree, picks)
    return tree


def evaluation_settings(options: MergeOptions, env: dict[str, str]) -> Any:
    """The evaluator's ``Settings`` for a run; a bad ``GRAFT_MAX_*`` bound is an error
    here, before anything runs."""
    from graftpy import limits
    from graftpy.evaluator import Settings

    limits.from_env(env)
    return Settings(
        env=env,
        fallback_append=options.fallback_append,
        targets_file=options.targets_file or env.get("GRAFT_TARGETS") or None,
    )


def evaluation_options(options: MergeOptions) -> Any:
    """The evaluator's ``EvaluationOptions`` (its executor: ``parallel_executor``)."""
    from graftpy.evaluator import EvaluationOptions

    return EvaluationOptions(
        cherry_picks=[tuple(p.split(".")) for p in options.cherry_pick],
        insertion_order=options.dataflow_order == "insertion",
        log=debug_to_stderr if options.debug else None,
    )


def debug_backend_log() -> None:
    """With --debug: the secret backends' requests, retries and give-ups on stderr
    (``DEBUG> vault: read -> ok 200 in 3 ms (attempt 1)``), redacted like all output."""
    import logging

    logger = logging.getLogger("graftpy.backends")
    if any(getattr(h, "graftpy_debug", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("DEBUG> %(message)s"))
    handler.graftpy_debug = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def has_expressions(value: Any) -> bool:
    """Whether any string holds ``((``: documents without any skip the evaluator."""
    if isinstance(value, str):
        return "((" in value
    if isinstance(value, dict):
        return any(has_expressions(v) for v in value.values())
    if isinstance(value, list):
        return any(has_expressions(v) for v in value)
    return False


def parallel_executor(options: MergeOptions, env: Mapping[str, str], on_phase: Any = None) -> Any:
    """The run's executor: the default (``evaluator.auto``), the parallel scheduler when
    asked for, or None (the sequential run) with ``--no-parallel`` / ``GRAFT_PARALLEL=false``.

    A ``GRAFT_PARALLEL*`` variable that does not parse is reported on stderr, and its
    default used (graft ignores such values silently).
    """
    from graftpy.evaluator.scheduler.config import config_from_env

    warnings: list[str] = []
    config = config_from_env(
        env,
        parallel=options.parallel,
        strategy=options.strategy,
        workers=options.workers,
        min_ops=options.min_ops,
        debug=options.debug,
        warnings=warnings,
    )
    for line in warnings:
        warn(options, f"graftpy: warning: {line}")
    if not config.enabled:
        return None
    if config.auto:
        from graftpy.evaluator.auto import AutoExecutor

        return AutoExecutor(config, log=debug_to_stderr, on_phase=on_phase)
    from graftpy.evaluator.scheduler import make_executor

    return make_executor(env, config=config, log=debug_to_stderr, on_phase=on_phase)


def debug_to_stderr(line: str) -> None:
    from graftpy.taint import redact  # a --debug line may quote a value derived from a secret

    sys.stderr.write(f"DEBUG> {redact(line)}\n")


def _only_param_errors(evaluator: Any) -> bool:
    from graftpy.operators.base import Phase

    return bool(evaluator.reports) and evaluator.reports[-1].phase == Phase.PARAM


METRICS_VARS = ("GRAFT_METRICS", "GRAFT_METRICS_FILE", "GRAFT_METRICS_PUSH")


def metrics_session(options: MergeOptions) -> Any:
    """The run's metrics session (started), or None when metrics are off.

    Off costs nothing: neither ``graftpy.metrics`` nor ``prometheus_client`` is imported.
    """
    wanted = options.metrics or options.metrics_file or options.metrics_push
    if not wanted:
        env = os.environ if options.env is None else options.env
        if not any(env.get(var) for var in METRICS_VARS):
            return None
    from graftpy.metrics.session import open_session

    return open_session(options, environment(options))


def merge_files(files: Sequence[str], options: MergeOptions, metrics: Any = None) -> Any:
    """Load and merge ``files``: the merger ``evaluate_tree`` takes (``run_merge``'s
    first half, and what ``graftpy render`` plans each target from)."""
    return merge_sources(load_sources(files, options, metrics), options)


def run_merge(files: Sequence[str], options: MergeOptions | None = None) -> dict:
    """Load, merge and evaluate ``files``; returns the resulting document."""
    options = options or MergeOptions()
    metrics = metrics_session(options)
    sources: list[Source] = []
    succeeded = False
    try:
        with collector.keeping():  # the documents live to the end of the run
            sources = load_sources(files, options, metrics)
            merger = merge_sources(sources, options)
        tree = evaluate_tree(merger, options, metrics)
        succeeded = True
        return tree
    except GraftError as exc:
        if options.show_origin and sources:
            from graftpy.provenance.origins import locate_errors

            locate_errors(exc, sources, options)
        raise
    finally:
        if metrics is not None:  # record the run, write the file, push, stop serving
            metrics.finish(succeeded)
