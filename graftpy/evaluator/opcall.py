"""An operator call found in the document: where it is, what it says, who runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graftpy.expr.nodes import Call
    from graftpy.operators.base import Operator
    from graftpy.tree import Path


class OpCall:
    """One call (a plain slotted record; identity is equality, as for a dataclass
    with ``eq=False``)."""

    __slots__ = ("where", "index_path", "src", "call", "operator", "order_key", "seq", "ahead")

    def __init__(
        self,
        where: Path,  # named form (list entries by name), used in messages and ordering
        index_path: Path,  # list entries by index: where the result is written
        src: str,  # the YAML string as written
        call: Call,
        operator: Operator,
        order_key: str = "",  # graft sorts each wave by this (the dotted path)
        seq: int = 0,  # position in document order (for --dataflow-order insertion)
    ) -> None:
        self.where = where
        self.index_path = index_path
        self.src = src
        self.call = call
        self.operator = operator
        self.order_key = order_key or ".".join(where)
        self.seq = seq
        # its I/O was started after the scan (evaluator.early_io): it only waits for
        # an answer already in flight
        self.ahead = False

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"OpCall($.{self.order_key}: {self.src})"
