"""Recorded cases: a shrunk difference and what graft printed for it, as a plain JSON file.

Each file in ``cases/`` holds one example (``files``, ``args``, ``env``,
``stdin``), the finding it came from (``finding``: its id in
``/work/notes/differential-findings.md``), a ``title``, and graft's ``expect``ed
``rc``, ``stdout`` and ``stderr``, recorded by running the reference binary.
``test_recorded_cases`` runs graftpy on each, byte for byte, with no graft
around. To record one, put the example's files in a folder and run

    .venv/bin/python -m tests.differential.cases --finding F7 --title "..." \\
        --dir /tmp/case -- merge base.yml over.yml
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .example import Example
from .oracle import Outcome, find_graft, run_graft

CASES = Path(__file__).with_name("cases")


def load(path: Path) -> tuple[Example, Outcome, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    example = Example(
        files=tuple(data["files"].items()),
        args=tuple(data["args"]),
        env=tuple(data.get("env", {}).items()),
        stdin=data.get("stdin"),
    )
    expect = data["expect"]
    outcome = Outcome(expect["rc"], expect["stdout"].encode(), expect["stderr"].encode())
    return example, outcome, data


def record(example: Example, graft: str, *, finding: str, title: str) -> Path:
    outcome = run_graft(example, graft)
    if run_graft(example, graft) != outcome:
        raise SystemExit("graft prints different things on two runs: not a case to record")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:50].strip("-")
    path = CASES / f"{finding.lower()}-{slug}.json"
    data = {
        "finding": finding,
        "title": title,
        "args": list(example.args),
        "env": dict(example.env),
        "stdin": example.stdin,
        "files": dict(example.files),
        "expect": {
            "rc": outcome.rc,
            "stdout": outcome.text("stdout"),
            "stderr": outcome.text("stderr"),
        },
    }
    CASES.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.differential.cases")
    parser.add_argument("--finding", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--dir", required=True, help="folder holding the example's files")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--stdin", help="file whose text is fed on standard input")
    parser.add_argument("args", nargs="+", help="graft's arguments (after --)")
    opts = parser.parse_args(argv)
    graft = find_graft()
    if graft is None:
        print("graft not found", file=sys.stderr)
        return 2
    folder = Path(opts.dir)
    files = tuple(
        (str(p.relative_to(folder)), p.read_text(encoding="utf-8"))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )
    example = Example(
        files=files,
        args=tuple(opts.args),
        env=tuple(tuple(e.split("=", 1)) for e in opts.env),
        stdin=Path(opts.stdin).read_text(encoding="utf-8") if opts.stdin else None,
    )
    print(record(example, graft, finding=opts.finding, title=opts.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
