"""Shared helpers for the expression tests: a registry and a document scope."""

from __future__ import annotations

from typing import Any

import pytest

from graftpy.errors import GraftError
from graftpy.expr import Call, evaluate, evaluate_call, parse_opcall
from graftpy.expr.evaluate import EXPRESSION_OPERATORS
from graftpy.gofmt import sprint
from graftpy.tree import resolve

OPERATORS = frozenset(
    [
        "grab",
        "concat",
        "join",
        "keys",
        "static_ips",
        "ips",
        "inject",
        "param",
        "prune",
        "calc",
        "cartesian-product",
        "defer",
        "empty",
        "file",
        "load",
        "base64",
        "base64-decode",
        "negate",
        "null",
        "shuffle",
        "sort",
        "split",
        "stringify",
        "vault",
        "vault-try",
        "awsparam",
        "awssecret",
    ]
)


def is_operator(name: str) -> bool:
    return name in OPERATORS


def parse(src: str) -> Call | None:
    return parse_opcall(src, is_operator)


class DictScope:
    """A scope over a plain document with a few operators, enough to evaluate
    nested calls: grab, concat, negate."""

    def __init__(self, tree: Any = None, env: dict[str, str] | None = None) -> None:
        self.tree = tree if tree is not None else {}
        self.environ = env or {}
        self.calls: list[str] = []

    def lookup(self, path: tuple[str, ...]) -> Any:
        return resolve(self.tree, path)

    def env(self, name: str) -> str | None:
        return self.environ.get(name)

    def call(self, call: Call) -> Any:
        self.calls.append(call.name)
        if call.name in EXPRESSION_OPERATORS:
            return evaluate_call(call, self)
        args = [evaluate(a, self) for a in call.args]
        if call.name == "grab":
            return args[0] if len(args) == 1 else args
        if call.name == "concat":
            return "".join(a if isinstance(a, str) else sprint(a) for a in args)
        raise GraftError(f"(( {call.name} )) operator not defined")


def run(src: str, tree: Any = None, env: dict[str, str] | None = None) -> Any:
    """Parse ``src`` and evaluate the call it stands for."""
    call = parse(src)
    assert call is not None, src
    return DictScope(tree, env).call(call)


@pytest.fixture
def scope() -> DictScope:
    return DictScope()
