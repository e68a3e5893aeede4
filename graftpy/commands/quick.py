"""A plain ``graftpy merge`` without click: the command line CI pipelines run most.

Importing click and building the merge command's 44 parameters costs about a
quarter of a small merge's instructions (mixed 100: 318 M with click, 242 M
without, counted with callgrind), more than the merge itself. So ``graftpy.cli``
first asks ``plain_merge`` whether the command line is a plain merge: ``merge``
followed only by files and the everyday flags below. If it is, the merge runs from the same flags click would have given
(``graftpy.commands.merge_run``, which ``graftpy merge`` itself uses); anything
else (help, another command, any other flag, a flag given twice, ``--``, a value
that looks like a flag) returns None and click parses it, with its own messages.
"""

from __future__ import annotations

import os
from typing import Any

# flag -> the parameter name click gives it; switches are True when given
_SWITCHES = {
    "--skip-eval": "skip_eval",
    "--fallback-append": "fallback_append",
    "--go-patch": "go_patch",
    "-m": "multi_doc",
    "--multi-doc": "multi_doc",
    "--preserve-order": "preserve_order",
}
_NEGATABLE = {"--parallel": ("parallel", True), "--no-parallel": ("parallel", False)}
_REPEATABLE = {"--prune": "prune", "--cherry-pick": "cherry_pick"}  # values collect in order
_SINGLE = {"-o": "output", "--output": "output"}


def plain_merge(args: list[str]) -> dict[str, Any] | None:
    """The command-line flags of ``graftpy ARGS`` when it is a plain merge, else None.

    The result holds only what was given, as click's parameters name it, with
    ``files`` for the FILES (absent when there are none, as for click).
    """
    if not args or args[0] != "merge" or os.environ.get("_GRAFTPY_COMPLETE"):
        return None
    flags: dict[str, Any] = {}
    files: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            files.append(arg)
            continue
        name, eq, inline = arg.partition("=")
        if name in _SWITCHES and not eq:
            key, value = _SWITCHES[name], True
        elif name in _NEGATABLE and not eq:
            key, value = _NEGATABLE[name]
        elif name in _REPEATABLE or name in _SINGLE:
            value = inline if eq else next(rest, None)
            if value is None or (value.startswith("-") and value != "-"):
                return None  # a missing value, or one click may read otherwise
            if name in _REPEATABLE:
                flags[_REPEATABLE[name]] = (*flags.get(_REPEATABLE[name], ()), value)
                continue
            key = _SINGLE[name]
        else:
            return None  # help, a flag of graftpy's own, -D, --: click's to read
        if key in flags:
            return None  # given twice: click says what it makes of that
        flags[key] = value
    if files:
        flags["files"] = files
    return flags


def run_plain_merge(flags: dict[str, Any]) -> None:
    """Merge as ``graftpy merge`` would with these flags (``DEBUG``/``TRACE`` set debug)."""
    from graftpy.commands import debug_from_environment
    from graftpy.commands.merge_run import build_run, load_settings, merge_and_write

    debug = debug_from_environment()
    loaded = load_settings(None, debug=debug)
    merge_and_write(build_run(loaded, flags, debug=debug))
