"""A fuzzing run: draw N examples with a fixed seed, judge each, shrink the differences.

``run`` draws examples through hypothesis (a test function that records each
verdict and never fails, so every example is judged), bounded by a count and a
time budget. ``shrink`` then asks hypothesis for the smallest example that
differs in the same way (``hypothesis.find``), one search per kind of difference.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, seed, settings

from .compare import DIFFERENCE, DIVERGENCE, IDENTICAL, Verdict, judge
from .example import Example
from .strategies.runs import Options, examples

QUIET = dict(
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@dataclass
class Results:
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(v.status == status for v in self.verdicts)

    @property
    def differences(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status == DIFFERENCE]

    def by_kind(self) -> dict[str, list[Verdict]]:
        kinds: dict[str, list[Verdict]] = {}
        for v in self.differences:
            kinds.setdefault(v.kind, []).append(v)
        return kinds

    def rows(self) -> Counter:
        return Counter(r for v in self.verdicts if v.status == DIVERGENCE for r in v.rows)

    def summary(self, wanted: int | None = None, budget: float | None = None) -> str:
        """One line of figures; says so when the time budget cut the run short of ``wanted``."""
        n, identical = len(self.verdicts), self.count(IDENTICAL)
        parts = [f"differential: {identical}/{n} identical"]
        if self.count(DIVERGENCE):
            rows = ", ".join(f"row {r}: {c}" for r, c in sorted(self.rows().items()))
            parts.append(f"{self.count(DIVERGENCE)} under intended divergences ({rows})")
        parts.append(f"{len(self.differences)} differences")
        if self.count("proposed"):
            rows = sorted({r for v in self.verdicts if v.status == "proposed" for r in v.rows})
            parts.append(f"{self.count('proposed')} under proposed rows {rows}")
        if self.count("graft-panic"):
            parts.append(f"{self.count('graft-panic')} where graft crashes")
        if self.count("usage"):
            parts.append(f"{self.count('usage')} where both print their usage")
        if self.count("nondeterministic"):
            parts.append(f"{self.count('nondeterministic')} where graft is nondeterministic")
        if wanted is not None and n < wanted:
            cut = f" of {budget:.0f} s" if budget is not None else ""
            parts.append(f"stopped by the time budget{cut} before {wanted} examples")
        return "; ".join(parts) + f" ({self.seconds:.0f} s)"


def run(
    graft: str,
    *,
    count: int,
    seed_value: int,
    budget: float,
    options: Options,
    runner: str = "fork",
    progress: bool = False,
) -> Results:
    results = Results()
    start = time.monotonic()

    @seed(seed_value)
    @settings(max_examples=count, phases=[Phase.generate], **QUIET)
    @given(examples(options))
    def judge_one(example: Example) -> None:
        if len(results.verdicts) >= count or time.monotonic() - start > budget:
            raise _Enough  # drawing the rest would take time for nothing
        verdict = judge(example, graft, runner)
        results.verdicts.append(verdict)
        if progress and len(results.verdicts) % 50 == 0:
            print(f"  ... {len(results.verdicts)} examples", flush=True)

    with contextlib.suppress(_Enough):
        judge_one()
    results.seconds = time.monotonic() - start
    return results


class _Enough(BaseException):
    """Ends a run (a BaseException: hypothesis passes it on at once, as KeyboardInterrupt)."""


class Different(AssertionError):
    """A difference from graft; one subclass per kind, so that hypothesis shrinks each apart."""


_KIND_CLASSES: dict[str, type[Different]] = {}


def _raise_for(kind: str) -> None:
    cls = _KIND_CLASSES.get(kind)
    if cls is None:
        cls = _KIND_CLASSES[kind] = type(f"Different{len(_KIND_CLASSES)}", (Different,), {})
    raise cls(kind)


def shrink(
    graft: str,
    *,
    count: int,
    seed_value: int,
    budget: float,
    options: Options,
    runner: str = "fork",
    kinds: set[str] | None = None,
) -> dict[str, Verdict]:
    """The smallest example of each kind of difference met in the run ``run`` makes.

    The same seed replays the same examples; each difference raises an exception
    of its own class, so hypothesis shrinks each kind on its own and finally
    replays each smallest example, which is the last one recorded for its kind.
    ``kinds`` limits the shrinking to some kinds; past ``budget`` seconds every
    example passes, which ends the search.
    """
    smallest: dict[str, Verdict] = {}
    start = time.monotonic()

    @seed(seed_value)
    @settings(
        max_examples=count,
        phases=[Phase.generate, Phase.shrink],
        report_multiple_bugs=True,
        **QUIET,
    )
    @given(examples(options))
    def judge_one(example: Example) -> None:
        if time.monotonic() - start > budget:
            return
        verdict = judge(example, graft, runner)
        if verdict.status == DIFFERENCE and (kinds is None or verdict.kind in kinds):
            smallest[verdict.kind] = verdict
            _raise_for(verdict.kind)

    try:
        judge_one()
    except Exception as exc:  # the differences hypothesis found are recorded above
        if not _only_differences(exc):
            raise
    return smallest


def _only_differences(exc: BaseException) -> bool:
    """Whether ``exc`` reports differences only (or hypothesis' Flaky, when time ran out)."""
    from hypothesis.errors import Flaky

    if isinstance(exc, BaseExceptionGroup):
        return all(_only_differences(e) for e in exc.exceptions)
    return isinstance(exc, (Different, Flaky))
