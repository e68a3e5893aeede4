"""An operator call found in the document: where it is, what it says, who runs it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graftpy.expr.nodes import Call
    from graftpy.operators.base import Operator
    from graftpy.tree import Path


@dataclass(eq=False, slots=True)
class OpCall:
    where: Path  # named form (list entries by name), used in messages and ordering
    index_path: Path  # list entries by index: where the result is written
    src: str  # the YAML string as written
    call: Call
    operator: Operator
    order_key: str = field(default="")  # graft sorts each wave by this (the dotted path)
    seq: int = 0  # position in document order (for --dataflow-order insertion)
    # its I/O was started after the scan (evaluator.early_io): it only waits for an answer
    ahead: bool = False

    def __post_init__(self) -> None:
        if not self.order_key:
            self.order_key = ".".join(self.where)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"OpCall($.{self.order_key}: {self.src})"
