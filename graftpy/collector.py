"""The cyclic garbage collector paused around work that makes no garbage cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was.

    For building a large result of plain dicts and lists that is kept whole (explain's
    report): each pass of the collector would walk it all again and free nothing
    (6-10% of building and encoding ``merge --explain-to``'s report)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
