"""A merge run from its settings to its output, without click.

``graftpy merge`` (``graftpy.commands.merge``) and the plain-merge path that skips
click (``graftpy.commands.quick``) both end here, so that the two cannot drift
apart: the same settings (flags over ``graftpy.yml`` over the environment), the
same progress, the same atomic write and the same messages on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graftpy import config


def load_settings(config_file: str | None, *, debug: bool) -> config.Config:
    """``graftpy.yml``: the one ``--config`` names, else the one found from here up."""
    from graftpy import config

    path = config.find(config_file)
    loaded = config.load(path) if path else config.Config()
    if debug and path:
        sys.stderr.write(f"DEBUG> reading settings from {path}\n")
    return loaded


def build_run(loaded: config.Config, flags: dict[str, Any], *, debug: bool) -> config.Run:
    """The run that ``flags`` (only those given on the command line) and ``loaded`` describe."""
    from graftpy import config

    run = config.build(config.combine(loaded, flags), debug=debug, file=loaded.file)
    if "output" not in flags and "output" in loaded.values:
        run.output_from = loaded.file
    return run


def stdin_when_no_files(run: config.Run) -> None:
    """No FILES here or in graftpy.yml: standard input is read, unless it is a terminal."""
    from graftpy.pipeline import NO_STDIN, InputError, stdin_is_terminal

    if not run.files:
        if stdin_is_terminal():
            raise InputError(NO_STDIN)
        run.files = ["-"]


def merge_and_write(run: config.Run) -> None:
    """Merge and evaluate the run's files; write the YAML to stdout or ``run.output``."""
    from graftpy import collector, yamlio
    from graftpy.pipeline import run_merge

    stdin_when_no_files(run)

    def work() -> str:
        if run.explain_to:  # --explain-to: the same merge, with provenance recorded
            from graftpy.commands.explain import merge_and_explain

            tree = merge_and_explain(run)
        else:
            tree = run_merge(run.files, run.options)
        writing(run)
        with collector.keeping():  # the emitter's key caches: kept, and no cycles made
            return yamlio.dump_yaml(tree, preserve_order=run.preserve_order) + "\n"

    write(run, with_progress(run, work))


def with_progress(run: config.Run, work: Callable[[], Any]) -> Any:
    """``work()`` with progress on stderr when wanted (a terminal, or --progress)."""
    from graftpy import progress

    if not progress.wanted(run.progress, sys.stderr):
        return work()
    from graftpy import colour

    with progress.reporting(sys.stderr, live=sys.stderr.isatty(), escapes=colour.escapes_work()):
        return work()


def writing(run: config.Run) -> None:
    """Progress: the last phase, turning the result into YAML for its destination."""
    from graftpy import progress

    progress.phase_started(progress.WRITE, None)
    progress.detail(_destination(run) or "standard output")


def _destination(run: config.Run) -> str | None:
    return None if run.output in (None, "", "-") else run.output


def write(run: config.Run, text: str) -> None:
    """The result to stdout, or to a file: then stderr says which (and why, when the
    file was named by ``output:`` in graftpy.yml rather than by ``-o``), so that
    ``graftpy merge > out.yml`` with an ``output:`` setting does not end in silence."""
    from graftpy.output import emit

    target = _destination(run)
    emit(text, target)
    if target is None:
        return
    if run.output_from:
        sys.stderr.write(
            f"graftpy: wrote {target} (output: in {run.output_from}; -o - writes to "
            "standard output)\n"
        )
    else:
        sys.stderr.write(f"graftpy: wrote {target}\n")
