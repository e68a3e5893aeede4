"""What the command line says: usage errors, command summaries, ``--help`` texts."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest

from graftpy.cli import cli
from graftpy.commands import COMMANDS


def graftpy(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        env={**env, "COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def commands() -> dict[str, click.Command]:
    ctx = click.Context(cli, info_name="graftpy")
    return {name: cli.get_command(ctx, name) for name in sorted(COMMANDS)}


# -- usage errors -------------------------------------------------------------------------


def test_a_misspelt_command_gets_a_suggestion_and_a_short_usage() -> None:
    done = graftpy("mrege", "a.yml")
    listed = ", ".join(sorted(COMMANDS))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "Error: No such command 'mrege'. Did you mean one of: 'merge', 'render'?\n\n"
        "Usage: graftpy [OPTIONS] [COMMAND] [ARGS]...\n"
        f"Commands: {listed}\n"
        "Try 'graftpy --help' for what each does.\n"
    )


def test_an_unknown_command_far_from_any_has_no_suggestion() -> None:
    done = graftpy("frobnicate")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: No such command 'frobnicate'.\n\n")
    assert "Options:" not in done.stderr  # not the whole help


def test_a_misspelt_global_option_gets_the_short_usage_too() -> None:
    done = graftpy("--colr", "off", "merge")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: No such option '--colr'. Did you mean '--color'?\n")
    assert "Options:" not in done.stderr  # not the whole help


def test_no_command_at_all_prints_the_whole_usage_as_graft_does() -> None:
    done = graftpy()
    assert done.returncode == 1
    assert done.stderr.startswith("Error: no command given\n\nUsage: graftpy")
    assert "Options:" in done.stderr


# -- summaries and help texts ---------------------------------------------------------------


@pytest.mark.parametrize("columns", [100, 80, 50])
def test_command_summaries_are_whole_sentences_at_any_width(columns: int) -> None:
    text = graftpy("--help", columns=columns).stdout
    listing = re.sub(r"\s+", " ", text.split("Commands:", 1)[1])
    for name, command in commands().items():
        summary = command.get_short_help_str(limit=1000)
        assert summary.endswith("."), name
        assert f"{name} {summary}" in listing, f"{name}: summary cut in\n{text}"
    assert "..." not in listing


def test_no_help_text_cuts_a_word_at_its_hyphen() -> None:
    for name in [None, *COMMANDS]:
        args = ["--help"] if name is None else [name, "--help"]
        text = graftpy(*args).stdout
        assert text, args
        cut = [line for line in text.splitlines() if re.search(r"[A-Za-z]-$", line)]
        assert cut == [], f"graftpy {' '.join(args)}: {cut}"


def test_boolean_flags_carry_no_empty_example() -> None:
    """``e.g. --skip-eval.`` shows nothing the flag's name does not."""
    found = []
    for name, command in commands().items():
        for param in command.params:
            if not isinstance(param, click.Option) or not param.is_flag or not param.help:
                continue
            names = set(param.opts) | set(param.secondary_opts)
            for example in re.findall(r"e\.g\. (-[\w-]+)(?=[.,;]|\s\(|$)", param.help):
                if example in names:
                    found.append(f"{name} {example}: {param.help}")
    assert found == []


def test_fan_usage_names_the_source_and_the_targets() -> None:
    text = graftpy("fan", "--help").stdout
    assert text.startswith("Usage: graftpy fan [OPTIONS] SOURCE [TARGETS]...\n")
    assert graftpy("merge", "--help").stdout.startswith("Usage: graftpy merge [OPTIONS] [FILES]...")
