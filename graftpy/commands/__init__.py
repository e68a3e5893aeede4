"""The subcommands of ``graftpy``, a module per kind of work.

``graftpy.cli`` names each command's module and imports it only when that
command runs (or ``--help`` lists them all): building click options costs
start-up time, and a ``graftpy merge`` has no use for the options of ``diff``.
"""

from __future__ import annotations

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
