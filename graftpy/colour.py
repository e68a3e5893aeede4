"""Whether to colour what goes to a stream: ``--color on|off|auto``, ``NO_COLOR``, ``TERM``.

``on`` and ``off`` decide. ``auto`` (the default) colours only a terminal, and
not when ``NO_COLOR`` is set to anything but the empty string (the no-color.org
convention) or ``TERM`` is ``dumb`` (a terminal that cannot show escape codes).
A flag on the command line wins over the environment, as no-color.org asks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

MODES = ("on", "off", "auto")


def wanted(mode: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to write colour escape codes to ``stream`` in ``mode``."""
    if mode == "on":
        return True
    if mode == "off":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or not escapes_work(env):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def escapes_work(environ: Mapping[str, str] | None = None) -> bool:
    """False on a ``TERM=dumb`` terminal, which shows escape codes as garbage."""
    env = os.environ if environ is None else environ
    return env.get("TERM") != "dumb"
