"""Scanning again after the merge phase, only where it changed the document.

``(( inject ))`` (and ``(( sort ))``) change the map holding the call and
nothing else. The calls found in the rest of the document are the same as
before, in the same order, so only those maps are walked again: on a large
document that is most of a second walk saved. The result is what
``scan(tree)`` would give, numbering (``OpCall.seq``) included.

Regions nested in one another are walked from the outermost (its merge may
have replaced the inner map). A change at the root, or a scan with errors
(where they are is not recorded), gets a full scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graftpy.evaluator.opcall import OpCall
from graftpy.evaluator.scan import ScanResult, scan, subtree_at
from graftpy.operators.base import Phase
from graftpy.tree import Path

# a region's first and last seq before, and what it holds now
Span = tuple[int, int, ScanResult]


def rescan(tree: Any, before: ScanResult) -> ScanResult:
    """``scan(tree)``, given the scan ``before`` the merge phase ran (its calls are
    where it may have changed the tree). Takes over ``before``'s calls: those kept
    are renumbered in place."""
    regions = _outermost((op.index_path[:-1], op.seq) for op in before[Phase.MERGE])
    if before.errors or any(not region for region, _ in regions):
        return scan(tree)
    by_seq = _by_seq(before)
    spans: list[Span] = []
    for region, seq in regions:
        named, subtree = subtree_at(tree, region)
        found = scan(subtree, named, region)
        if found.errors:  # what the merge phase wrote does not parse: as the full scan says
            return scan(tree)
        spans.append((*_span(by_seq, region, seq), found))
    spans.sort(key=lambda span: span[0])
    result = ScanResult()
    for phase in Phase:
        result.calls[phase] = _spliced(before.calls[phase], spans, phase)
    return result


def _outermost(regions: Iterable[tuple[Path, int]]) -> list[tuple[Path, int]]:
    """Each region that is not inside another, with the seq of a call inside it."""
    anchor: dict[Path, int] = {}
    for region, seq in regions:
        anchor.setdefault(region, seq)
    kept: set[Path] = set()
    out: list[tuple[Path, int]] = []
    for region in sorted(anchor, key=len):
        if not any(region[:n] in kept for n in range(len(region))):
            kept.add(region)
            out.append((region, anchor[region]))
    return out


def _by_seq(found: ScanResult) -> list[OpCall]:
    calls: list[Any] = [None] * sum(len(found.calls[phase]) for phase in Phase)
    for phase in Phase:
        for op in found.calls[phase]:
            calls[op.seq - 1] = op
    return calls


def _span(by_seq: list[OpCall], region: Path, seq: int) -> tuple[int, int]:
    """The first and last seq of the calls below ``region``, one of which is ``seq``
    (a subtree's calls are consecutive in document order)."""
    n = len(region)
    first = last = seq
    while first > 1 and by_seq[first - 2].index_path[:n] == region:
        first -= 1
    while last < len(by_seq) and by_seq[last].index_path[:n] == region:
        last += 1
    return first, last


def _spliced(old: list[OpCall], spans: list[Span], phase: Phase) -> list[OpCall]:
    """``old`` with each span's calls replaced by the region's new ones, and every
    seq moved by what the spans before it added or removed."""
    out: list[OpCall] = []
    shift = 0  # seq change from the spans already passed
    j = 0
    for op in old:
        while j < len(spans) and spans[j][1] < op.seq:
            shift = _emit(out, spans[j], phase, shift)
            j += 1
        if j < len(spans) and spans[j][0] <= op.seq:
            continue  # inside a region: its new calls replace it
        op.seq += shift
        out.append(op)
    while j < len(spans):
        shift = _emit(out, spans[j], phase, shift)
        j += 1
    return out


def _emit(out: list[OpCall], span: Span, phase: Phase, shift: int) -> int:
    """Append the span's calls of ``phase``, numbered from where the span starts;
    the shift after it."""
    first, last, found = span
    for op in found.calls[phase]:
        op.seq += first - 1 + shift
        out.append(op)
    added = sum(len(found.calls[p]) for p in Phase)
    return shift + added - (last - first + 1)
