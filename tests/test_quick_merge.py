"""The plain-merge path (``graftpy.commands.quick``) reads a command line exactly as click does.

Whatever ``plain_merge`` accepts, click must accept too and give the same parameters
(only those given on the command line, which is what ``graftpy.config`` combines);
whatever it declines goes to click, so declining is always safe.
"""

from __future__ import annotations

from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.commands.merge import merge
from graftpy.commands.quick import plain_merge

TOKENS = [
    "base.yml",
    "prod.yml",
    "-",
    "",
    "--skip-eval",
    "--fallback-append",
    "--go-patch",
    "-m",
    "--multi-doc",
    "--preserve-order",
    "--parallel",
    "--no-parallel",
    "--prune",
    "--cherry-pick",
    "--prune=meta",
    "--cherry-pick=jobs",
    "--prune=",
    "-o",
    "--output",
    "--output=out.yml",
    "meta",
    "jobs.web",
    "-x",
    "--strategy",
    "adaptive",
    "-D",
    "--",
    "-h",
    "--skip",
    "-o-",
]


def clicks_flags(args: list[str]) -> dict[str, Any] | None:
    """The parameters click gives ``graftpy merge ARGS`` (as on the command line), or None
    when click refuses the command line."""
    try:
        ctx = merge.make_context("merge", list(args), resilient_parsing=False)
    except (click.UsageError, click.exceptions.Exit):
        return None
    given = {}
    for name, value in ctx.params.items():
        source = ctx.get_parameter_source(name)
        if source is not None and source.name == "COMMANDLINE" and name != "files":
            given[name] = value
    if ctx.params["files"]:
        given["files"] = list(ctx.params["files"])
    return given


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=7))
def test_what_the_plain_path_accepts_click_reads_the_same(args: list[str]) -> None:
    quick = plain_merge(["merge", *args])
    if quick is not None:
        assert clicks_flags(args) == quick


@pytest.mark.parametrize(
    "args, expected",
    [
        (["a.yml", "b.yml"], {"files": ["a.yml", "b.yml"]}),
        ([], {}),
        (
            ["--prune", "meta", "a.yml", "--prune=params"],
            {"prune": ("meta", "params"), "files": ["a.yml"]},
        ),
        (["-o", "-", "--no-parallel", "-"], {"output": "-", "parallel": False, "files": ["-"]}),
        (["--go-patch", "-m", "a.yml"], {"go_patch": True, "multi_doc": True, "files": ["a.yml"]}),
    ],
)
def test_everyday_merges_take_the_plain_path(args: list[str], expected: dict[str, Any]) -> None:
    assert plain_merge(["merge", *args]) == expected == clicks_flags(args)


@pytest.mark.parametrize(
    "argv",
    [
        ["merge", "--help"],
        ["merge", "--skip-eval", "--skip-eval", "a.yml"],  # click names the mistake
        ["merge", "--prune"],
        ["merge", "--prune", "--skip-eval"],
        ["merge", "--strategy", "adaptive", "a.yml"],
        ["merge", "--", "-a.yml"],
        ["-D", "merge", "a.yml"],
        ["fan", "a.yml"],
        [],
    ],
)
def test_anything_else_goes_to_click(argv: list[str]) -> None:
    assert plain_merge(argv) is None
