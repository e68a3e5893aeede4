"""Running a call on a frame stack with room to spare, so deep call paths stay cheap.

CPython keeps a thread's Python frames in chunks of 16 KiB and, until the change
of python/cpython#142183 (2026; not in 3.11, which this project runs on), frees a
chunk the moment the stack shrinks out of it. A loop whose calls reach just past
a chunk's end then maps a fresh chunk and unmaps it again on every call. In a
Vault run of 500 lookups that was 1,800 pairs of mmap and munmap on the main
thread: about 40 ms of CPU in a run of 0.4 s on a 2-core machine (an unmap in a
process with threads makes every core drop its cached address translations).
Where a chunk ends depends on how deep the caller started, so this comes and
goes as code anywhere on the call path changes.

``roomy(fn)`` calls ``fn()`` from a frame that asks for 128 KiB of evaluation
stack it never uses. No chunk in use has room for it, so CPython maps one of
256 KiB, and every call ``fn`` makes (some 600 frames deep) fits in the other
half, which stays mapped until ``fn`` returns. The reserved half is never
written, so it takes no memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_RESERVED_SLOTS = 16 * 1024  # pointers: 128 KiB


def _call(fn: Callable[[], T]) -> T:
    return fn()


# the same code, with an evaluation stack far larger than it needs (a frame's size
# is its locals plus its stack: CPython sizes the frame, and the chunk, from this)
_call.__code__ = _call.__code__.replace(co_stacksize=_RESERVED_SLOTS)


def roomy(fn: Callable[[], T]) -> T:
    """``fn()``, run on a frame-stack chunk of its own with room for any depth it reaches."""
    return _call(fn)
