"""How code running inside an operator tells the scheduler it was throttled.

A backend that gets a throttling answer (HTTP 429 or 503, AWS ``Throttling``)
calls ``report_throttled()`` from the thread running the operator, whether it
then retries or gives up; the adaptive strategy halves that backend's
concurrency. Standard library only, so backends can import it for free.
"""

from __future__ import annotations

import re
import threading

_local = threading.local()

# an error message naming a throttling status also counts (for backends that do not report)
_THROTTLE_TEXT = re.compile(r"\b(429|503)\b|too many requests|throttl", re.IGNORECASE)


def report_throttled() -> None:
    """Mark the operator running on this thread as throttled by its backend."""
    _local.throttled = True


def reset() -> None:
    _local.throttled = False


def take(error_message: str | None = None) -> bool:
    """Whether the operator that just ran on this thread was throttled; clears the mark."""
    hit = getattr(_local, "throttled", False)
    _local.throttled = False
    return hit or (error_message is not None and _THROTTLE_TEXT.search(error_message) is not None)
