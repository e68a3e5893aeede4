"""Printing verdicts: each difference as a runnable transcript with both tools' output."""

from __future__ import annotations

import time

from .campaign import QUIET, Results, shrink
from .compare import DIFFERENCE, Verdict, judge
from .oracle import Outcome, run_graftpy
from .reduce import reduce


def _streams(outcome: Outcome) -> str:
    lines = [f"  exit {outcome.rc}"]
    for stream in ("stdout", "stderr"):
        text = outcome.text(stream)
        if text:
            lines.append(f"  {stream}:")
            lines += [f"    | {line}" for line in text.splitlines()]
            if not text.endswith("\n"):
                lines.append("    (no newline at end)")
    return "\n".join(lines)


def describe(verdict: Verdict) -> str:
    example = verdict.example
    return "\n".join(
        [
            f"-- difference: {verdict.kind}",
            example.script(),
            "graft:",
            _streams(verdict.graft),
            "graftpy:",
            _streams(verdict.graftpy),
        ]
    )


def differences(results: Results, limit: int) -> str:
    """The kinds of difference with a count each, and the first ``limit`` in full."""
    kinds = results.by_kind()
    unsteady = [v for v in results.verdicts if v.status == "nondeterministic"]
    lines = []
    if unsteady:
        lines += ["", f"== graft printed two different things ({len(unsteady)}), e.g.",
                  describe(unsteady[0])]
    panics: dict[str, Verdict] = {}
    for v in results.verdicts:
        if v.status == "graft-panic":
            panics.setdefault(v.graft.text("stderr").splitlines()[0], v)
    for first, v in panics.items():
        lines += ["", f"== graft crashes: {first}", v.example.script(), "graftpy:",
                  _streams(v.graftpy)]
    if not kinds:
        return "\n".join(lines)
    lines += ["", "== differences by kind"]
    for kind, verdicts in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"  {len(verdicts):4d}  {kind}")
    shown = [vs[0] for vs in kinds.values()][:limit]
    lines += ["", *(describe(v) + "\n" for v in shown)]
    return "\n".join(lines)


def check_runner(count: int, seed_value: int, options) -> int:
    """How many of ``count`` examples graftpy prints differently when forked vs as the script."""
    from hypothesis import Phase, given, seed, settings

    from .strategies.runs import examples

    bad: list[int] = []

    @seed(seed_value)
    @settings(max_examples=count, phases=[Phase.generate], **QUIET)
    @given(examples(options))
    def compare(example) -> None:
        forked, script = run_graftpy(example, "fork"), run_graftpy(example, "subprocess")
        if forked != script:
            bad.append(1)
            print("-- fork and subprocess differ:\n" + example.script())
            print("fork:\n" + _streams(forked) + "\nsubprocess:\n" + _streams(script))

    compare()
    return len(bad)


def smallest(
    results: Results,
    graft: str,
    *,
    options,
    runner: str,
    seed_value: int,
    count: int,
    budget: float,
    hypothesis: bool,
) -> str:
    """Each kind of difference, shrunk (hypothesis, then the text reducer), printed once."""
    started = time.monotonic()
    deadline = started + budget
    kinds = results.by_kind()
    found = {kind: verdicts[0] for kind, verdicts in kinds.items()}
    if hypothesis:  # half the time for hypothesis, the rest for the text reducer
        found.update(
            shrink(
                graft,
                count=count,
                seed_value=seed_value,
                budget=budget / 2,
                options=options,
                runner=runner,
                kinds=set(kinds),
            )
        )
    seen: set[tuple] = set()
    out = [f"\n== smallest example of each kind of difference ({len(found)} kinds)"]
    for kind, verdict in sorted(found.items()):

        def same(example, kind=kind) -> bool:
            v = judge(example, graft, runner)
            return v.status == DIFFERENCE and v.kind == kind

        small = reduce(verdict.example, same) if time.monotonic() < deadline else verdict.example
        key = (small.files, small.args, small.env, small.stdin)
        if key in seen:
            continue
        seen.add(key)
        out.append(describe(judge(small, graft, runner)) + "\n")
    out.append(f"(shrunk in {time.monotonic() - started:.0f} s)")
    return "\n".join(out)
