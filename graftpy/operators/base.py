"""The one small interface every operator implements.

An operator is a class with a ``name``, the ``phase`` it runs in, whether it may
run on a worker thread (``parallel_safe``), whether it waits on I/O
(``io_bound``: the adaptive strategy sends those to the pool), the extra
``dependencies`` it has beyond the references in its arguments, whether its
results are secrets (``yields_secrets``), and ``run``.

``run`` is a pure function of what it reads through the context, plus the
write of its result, which the evaluator performs: operators never mutate the
document themselves (except through ``Response.inject``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call
    from graftpy.tree import Path


class Phase(IntEnum):
    """Evaluation phases, run in this order. One scan finds the calls of all three;
    after the merge phase, the maps it changed are scanned again (evaluator.rescan)."""

    MERGE = 0  # (( inject )): reshapes the document before anything reads it
    PARAM = 1  # (( param )): reported alone when it fails, as graft does
    EVAL = 2  # everything else


class Response:
    """What an operator asks the evaluator to do at its location (a plain slotted
    record: a dataclass costs every run's start-up the making of its methods)."""

    __slots__ = ("value", "inject")

    def __init__(self, value: Any, inject: bool = False) -> None:
        self.value = value
        self.inject = inject  # merge ``value`` (a map) into the parent instead of replacing

    def __eq__(self, other: object) -> bool:
        if type(other) is not Response:
            return NotImplemented
        return self.value == other.value and self.inject == other.inject

    def __hash__(self) -> int:
        return hash((Response, self.inject))  # values may be unhashable (maps)

    def __repr__(self) -> str:
        return f"Response(value={self.value!r}, inject={self.inject!r})"


class Operator:
    """Base class: subclasses set the class attributes and implement ``run``."""

    name: ClassVar[str] = ""
    phase: ClassVar[Phase] = Phase.EVAL
    parallel_safe: ClassVar[bool] = True  # reads only; safe on a worker thread
    io_bound: ClassVar[bool] = False  # waits on network/disk: worth a thread of its own
    # graft itself waits for the operators inside the subtrees this operator reads
    # (inject does; grab does not). A cycle through such a subtree is then a data-flow
    # cycle; for the others it means the data would contain itself.
    waits_for_subtree: ClassVar[bool] = False
    # the result holds (a copy of) what the call reads (grab, ``||``): reading a map or
    # list that holds the call itself would make the data contain itself (graft: a
    # "self-referencing dataset"); keys or stringify of their own container are fine
    copies_input: ClassVar[bool] = False
    # its results are secrets (vault, awsparam...): the evaluator marks them, and every
    # value computed from them, and keeps them out of messages (graftpy.taint)
    yields_secrets: ClassVar[bool] = False

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        """Paths this call reads. ``auto`` holds the references found in its arguments."""
        return auto

    def run(self, call: Call, ctx: EvalContext) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError


def replace(value: Any) -> Response:
    return Response(value)
