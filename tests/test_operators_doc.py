"""docs/operators.md documents every operator of the registry, and its examples print
what graftpy prints.

Each ```console block of the page is a transcript, run in a fresh folder:

``$ cat FILE``            the lines up to the next ``$`` line are FILE's content
``$ graftpy ARGS``        runs graftpy; the lines up to the next ``$`` line are what it
                          prints (stdout, then stderr), trailing blank lines aside.
                          ``VAR=value`` words before ``graftpy`` set variables, and a
                          ``# the order varies`` comment compares the lines as a set
``$ echo $?``             the exit code of the graftpy before it
``$ bao kv put P K=V``    stores a secret in the test's OpenBao server (whose address
                          and token the graftpy runs of that block get)

Each operator section says how it runs in parallel; the test checks that against the
operator's own ``parallel_safe`` and ``io_bound``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from graftpy.operators import registry

DOC = Path(__file__).resolve().parent.parent / "docs" / "operators.md"
# applied while files are merged: not in the registry, documented all the same
ARRAY_OPERATORS = {"append", "prepend", "insert", "replace", "delete", "inline", "merge"}
TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from servers.fixtures import openbao  # noqa: E402,F401  (the Vault examples' server)


def sections(text: str) -> dict[str, str]:
    """Operator name -> the text of the ``###`` section whose heading names it."""
    found: dict[str, str] = {}
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        body = re.split(r"^## ", body, flags=re.M)[0]
        names = re.findall(r"`([^`]+)`", heading)
        if heading.strip() == "Array operators":
            names = sorted(ARRAY_OPERATORS)
        for name in names:
            assert name not in found, f"{name} has two sections"
            found[name] = body
    return found


def transcripts(text: str) -> list[str]:
    return re.findall(r"^```console\n(.*?)^```$", text, flags=re.M | re.S)


class Transcript:
    """One console block: its steps, run in ``folder``."""

    def __init__(self, block: str) -> None:
        self.steps: list[tuple[str, list[str]]] = []  # (command line, the lines after it)
        for line in block.splitlines():
            if line.startswith("$ "):
                self.steps.append((line[2:], []))
            else:
                assert self.steps, f"text before the first command: {line!r}"
                self.steps[-1][1].append(line)

    @property
    def needs_vault(self) -> bool:
        return any(cmd.startswith("bao ") for cmd, _ in self.steps)

    def run(self, folder: Path, env: dict[str, str]) -> list[tuple[str, str, str]]:
        """(command, what the page says, what graftpy printed) for each checked step."""
        checks = []
        last_rc = None
        for cmd, lines in self.steps:
            words = shlex.split(cmd, comments=True)
            if words[0] == "cat":
                (folder / words[1]).parent.mkdir(parents=True, exist_ok=True)
                (folder / words[1]).write_text("\n".join(lines) + "\n")
            elif words[0] == "echo" and words[1:] == ["$?"]:
                checks.append((cmd, "\n".join(lines), str(last_rc)))
            elif words[0] == "bao":
                done = subprocess.run(words, env=env, capture_output=True, text=True, timeout=60)
                assert done.returncode == 0, done.stderr
            else:
                extra = {}
                while "=" in words[0]:
                    name, _, value = words.pop(0).partition("=")
                    extra[name] = value
                assert words[0] == "graftpy", cmd
                done = subprocess.run(
                    [sys.executable, "-m", "graftpy", *words[1:]],
                    cwd=folder,
                    env={**env, **extra},
                    capture_output=True,
                    text=True,
                    timeout=60,
                    stdin=subprocess.DEVNULL,
                )
                last_rc = done.returncode
                printed = (done.stdout + done.stderr).rstrip("\n")
                expected = "\n".join(lines).rstrip("\n")
                if "# the order varies" in cmd:
                    printed = "\n".join(sorted(printed.splitlines()))
                    expected = "\n".join(sorted(expected.splitlines()))
                checks.append((cmd, expected, printed))
        return checks


def clean_env() -> dict[str, str]:
    scrub = ("GRAFT", "VAULT_", "AWS_", "REDACT", "DEFAULT_ARRAY_MERGE_KEY", "DEBUG", "TRACE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(scrub)}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


TEXT = DOC.read_text()
BLOCKS = transcripts(TEXT)


def test_every_operator_of_the_registry_has_a_section() -> None:
    documented = set(sections(TEXT))
    known = set(registry.builtin_operators())  # plugins document themselves
    assert sorted(known - documented) == [], "operators without a section in docs/operators.md"
    assert sorted(documented - known - ARRAY_OPERATORS) == [], "sections of no operator"


def test_every_section_has_syntax_an_example_errors_and_parallel_behaviour() -> None:
    for name, body in sections(TEXT).items():
        assert re.search(r"^    \S", body, flags=re.M), f"{name}: no syntax block"
        assert "```console" in body, f"{name}: no example"
        assert "**Errors:**" in body, f"{name}: no errors"
        assert "**In parallel:**" in body, f"{name}: no word on parallel evaluation"


def test_what_each_section_says_about_parallel_evaluation_is_true() -> None:
    operators = registry.builtin_operators()
    for name, body in sections(TEXT).items():
        if name not in operators:
            continue
        said = body.split("**In parallel:**", 1)[1].split("\n\n", 1)[0]
        said = " ".join(said.split())
        op = operators[name]
        assert ("parallel-safe" in said) == op.parallel_safe, f"{name}: {said}"
        assert ("runs on the main thread" in said) == (not op.parallel_safe), f"{name}: {said}"
        assert ("waits on I/O" in said) == op.io_bound, f"{name}: {said}"


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_the_example_prints_what_the_page_says(
    number: int, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    transcript = Transcript(BLOCKS[number])
    env = clean_env()
    if transcript.needs_vault:
        server = request.getfixturevalue("openbao")
        env.update(VAULT_ADDR=server.addr, VAULT_TOKEN=server.token, HOME=str(tmp_path))
    for cmd, expected, printed in transcript.run(tmp_path, env):
        assert printed == expected, f"$ {cmd}"
