"""Judging one example: identical, under an intended divergence, or a difference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .divergences import (
    classify,
    explains_by_form,
    proposed,
    proposed_by_form,
    without_ignored_prunes,
)
from .example import Example
from .oracle import Outcome, run_graft, run_graftpy

IDENTICAL = "identical"
DIVERGENCE = "divergence"
DIFFERENCE = "difference"
NONDETERMINISTIC = "nondeterministic"  # graft itself printed two different things
GRAFT_PANIC = "graft-panic"  # graft crashed (a Go panic): graftpy keeps its own answer
PROPOSED = "proposed"  # under a divergence proposed in differential-findings.md
USAGE = "usage"  # both printed their usage text, which names the program and its flags


@dataclass(frozen=True)
class Verdict:
    example: Example
    status: str
    graft: Outcome
    graftpy: Outcome
    rows: frozenset[int] = frozenset()

    @property
    def kind(self) -> str:
        return difference_kind(self.graft, self.graftpy)


def judge(example: Example, graft: str, runner: str = "fork") -> Verdict:
    ours = run_graftpy(example, runner)
    theirs = run_graft(example, graft)
    if theirs == ours:
        return Verdict(example, IDENTICAL, theirs, ours)
    if theirs.stderr.startswith(b"panic: ") or b"\ngoroutine " in theirs.stderr:
        return Verdict(example, GRAFT_PANIC, theirs, ours)
    if _both_usage(theirs, ours):
        return Verdict(example, USAGE, theirs, ours)
    rows = classify(example) | explains_by_form(example, theirs, ours)
    if rows:
        return Verdict(example, DIVERGENCE, theirs, ours, rows)
    rows = proposed(example) | proposed_by_form(example, theirs, ours)
    unpruned = without_ignored_prunes(example)
    if unpruned is not None and run_graftpy(unpruned, runner) == theirs:
        rows |= {21}  # graft ignored a --prune below a root with a non-string key
    if rows:
        return Verdict(example, PROPOSED, theirs, ours, rows)
    if run_graft(example, graft) != theirs:
        return Verdict(example, NONDETERMINISTIC, theirs, ours)
    return Verdict(example, DIFFERENCE, theirs, ours)


def _both_usage(graft: Outcome, ours: Outcome) -> bool:
    """Both refused the command line with their usage text (the conformance corpus's
    ``stderr_is_usage``: the texts differ by design, the exit code and silence do not)."""
    return (
        graft.rc == ours.rc == 1
        and graft.stdout == ours.stdout == b""
        and graft.stderr.startswith(b"Usage: graft ")
        and b"Usage: graftpy " in ours.stderr
    )


_VARIABLE = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\$\.[\w.\-]+|\b\d+(\.\d+)?\b")


def _shape(line: str) -> str:
    """A line with its variable parts (quoted text, paths, numbers) blanked out."""
    return _VARIABLE.sub("_", line).strip()


def difference_kind(graft: Outcome, ours: Outcome) -> str:
    """A short name for how two outcomes differ, stable under shrinking."""
    if graft.rc != ours.rc and (graft.rc == 0) != (ours.rc == 0):
        return f"exit {graft.rc} vs {ours.rc}"
    for stream in ("stdout", "stderr"):
        a, b = graft.text(stream).splitlines(), ours.text(stream).splitlines()
        if a == b:
            continue
        for left, right in zip(a, b, strict=False):
            if left != right:
                return f"{stream}: {_shape(left)[:80]}"
        extra = a[len(b) :] or b[len(a) :]
        return (
            f"{stream}: {'graft' if len(a) > len(b) else 'graftpy'} has more: "
            f"{_shape(extra[0])[:60]}"
        )
    return f"exit {graft.rc} vs {ours.rc}"
