"""One generated example: the files of a run folder, the command line, env and stdin."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    """A run of ``graft ARGS`` (and ``graftpy ARGS``) in a folder holding ``files``.

    ``env`` values may contain ``{cwd}``, replaced by the run folder's absolute path.
    ``stdin`` is ``None`` for ``/dev/null``. ``rows`` are the DIVERGENCES rows the
    generator knowingly built in (an example under one is not a difference);
    ``features`` name what it exercises, for reports.
    """

    files: tuple[tuple[str, str], ...]
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    stdin: str | None = None
    rows: frozenset[int] = field(default_factory=frozenset)
    features: frozenset[str] = field(default_factory=frozenset)

    def file(self, name: str) -> str | None:
        return dict(self.files).get(name)

    def script(self, program: str = "graft") -> str:
        """A shell transcript that recreates and runs the example."""
        lines = []
        for name, content in self.files:
            lines.append(f"cat > {shlex.quote(name)} <<'EOF'")
            lines.append(content.rstrip("\n") if content.endswith("\n") else content)
            lines.append("EOF")
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env)
        cmd = " ".join(shlex.quote(a) for a in self.args)
        feed = "" if self.stdin is None else f" <<'EOF'\n{self.stdin.rstrip(chr(10))}\nEOF"
        lines.append(f"{env + ' ' if env else ''}{program} {cmd}{feed}")
        return "\n".join(lines)

    def compact(self) -> str:
        """One line for a table cell: each file as ``name: text``, then the command."""
        parts = [f"{name}: {content!r}" for name, content in self.files]
        env = " ".join(f"{k}={v!r}" for k, v in self.env)
        stdin = "" if self.stdin is None else f" <<< {self.stdin!r}"
        parts.append(f"$ {env + ' ' if env else ''}graft {' '.join(self.args)}{stdin}")
        return " ; ".join(parts)
