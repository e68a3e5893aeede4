"""The subcommands of ``graftpy``, a module per kind of work.

``graftpy.cli`` names each command's module and imports it only when that
command runs (or ``--help`` lists them all): building click options costs
start-up time, and a ``graftpy merge`` has no use for the options of ``diff``.
"""

from __future__ import annotations

import os
from typing import Any

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# command name -> "module:attribute" of its click command
COMMANDS = {
    "completion": "graftpy.commands.completion:completion",
    "diff": "graftpy.commands.tools:diff",
    "explain": "graftpy.commands.explain:explain",
    "fan": "graftpy.commands.merge:fan",
    "json": "graftpy.commands.tools:json",
    "merge": "graftpy.commands.merge:merge",
    "plan": "graftpy.commands.plan:plan",
    "render": "graftpy.commands.render:render",
    "vaultinfo": "graftpy.commands.tools:vaultinfo",
}


def env_flag(name: str) -> bool:
    """graft's truthiness for ``DEBUG=1``-style variables: set, not empty, not false, not 0."""
    value = os.environ.get(name, "")
    return value != "" and value.lower() != "false" and value != "0"


def debug_from_environment() -> bool:
    """``DEBUG`` or ``TRACE`` set: the same as ``-D`` on the command line."""
    return env_flag("DEBUG") or env_flag("TRACE")
