"""Rare choices that stay rare: hypothesis draws the smallest integer more often than
its share (it is where shrinking goes), so ``integers(0, n) == 0`` would not be one in n."""

from __future__ import annotations

from hypothesis import strategies as st


def chance(draw: st.DrawFn, n: int) -> bool:
    """True about once in ``n`` draws; shrinks to False."""
    return draw(st.integers(0, n - 1)) == n // 2 if n > 1 else True
