"""Making a failing example smaller by its text, after hypothesis has shrunk its choices.

Hypothesis shrinks what the strategies drew; what is left often still holds
lines that play no part. ``reduce`` removes them one piece at a time and keeps
each removal that leaves the same difference: environment variables, flags,
whole files, then blocks of lines (a line with the lines indented under it),
largest first, then single list entries, until nothing more can go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .example import Example

Check = Callable[[Example], bool]


def reduce(example: Example, still_fails: Check, max_checks: int = 400) -> Example:
    checks = [0]

    def attempt(candidate: Example) -> bool:
        if checks[0] >= max_checks:
            return False
        checks[0] += 1
        return still_fails(candidate)

    changed = True
    while changed and checks[0] < max_checks:
        changed = False
        for candidate in _candidates(example):
            if attempt(candidate):
                example = candidate
                changed = True
                break
    return example


def _candidates(example: Example):
    """Smaller variants of ``example``, the biggest cuts first."""
    for i in range(len(example.env)):
        yield replace(example, env=example.env[:i] + example.env[i + 1 :])
    args = list(example.args)
    for i in range(1, len(args)):
        if args[i] in ("--prune", "--cherry-pick") and i + 1 < len(args):
            yield replace(example, args=tuple(args[:i] + args[i + 2 :]))
        elif args[i].startswith("-") and args[i] != "-":
            yield replace(example, args=tuple(args[:i] + args[i + 1 :]))
        elif args[i] == "-":
            yield replace(example, args=tuple(args[:i] + args[i + 1 :]), stdin=None)
        elif i > 1 and args[i - 1] not in ("--prune", "--cherry-pick"):
            files = tuple(f for f in example.files if f[0] != args[i])
            yield replace(example, args=tuple(args[:i] + args[i + 1 :]), files=files)
    used = set(args)
    for name, _ in example.files:
        if name not in used:
            yield replace(example, files=tuple(f for f in example.files if f[0] != name))
    texts = [(name, text) for name, text in example.files]
    if example.stdin is not None:
        texts.append(("-", example.stdin))
    for name, text in texts:
        for smaller in _smaller_texts(text):
            if name == "-":
                yield replace(example, stdin=smaller)
            else:
                files = tuple((n, smaller if n == name else t) for n, t in example.files)
                yield replace(example, files=files)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _smaller_texts(text: str):
    """The text without one block of lines (a line and what is indented under it)."""
    lines = text.split("\n")
    blocks = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > _indent(line)):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1  # blank lines after a block belong to no block
        blocks.append((i, end))
    for start, end in sorted(blocks, key=lambda b: b[0] - b[1]):
        yield "\n".join(lines[:start] + lines[end:])
