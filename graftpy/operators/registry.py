"""Name -> operator lookup, filled from our own modules and the entry-point group.

Built-in operators live one per module in this package; each module defines
one ``Operator`` subclass and lists it in ``BUILTIN_MODULES`` below. Third-party
packages add operators through the ``graftpy.operators`` entry-point group; an
entry point names an ``Operator`` subclass.
"""

from __future__ import annotations

import importlib
from functools import cache

from graftpy.operators.base import Operator

# module name (under graftpy.operators) -> class name
BUILTIN_MODULES: dict[str, str] = {
    "grab": "GrabOperator",
    "concat": "ConcatOperator",
    "join": "JoinOperator",
    "keys": "KeysOperator",
    "sort": "SortOperator",
    "static_ips": "StaticIPsOperator",
    "ips": "IPsOperator",
    "inject": "InjectOperator",
    "param": "ParamOperator",
    "prune": "PruneOperator",
    "calc": "CalcOperator",
    "base64": "Base64Operator",
    "base64_decode": "Base64DecodeOperator",
    "cartesian_product": "CartesianProductOperator",
    "defer": "DeferOperator",
    "empty": "EmptyOperator",
    "file": "FileOperator",
    "load": "LoadOperator",
    "negate": "NegateOperator",
    "null": "NullOperator",
    "shuffle": "ShuffleOperator",
    "stringify": "StringifyOperator",
    "split": "SplitOperator",
    "vault": "VaultOperator",
    "vault_try": "VaultTryOperator",
    "awsparam": "AwsParamOperator",
    "awssecret": "AwsSecretOperator",
}


@cache
def builtin_operators() -> dict[str, Operator]:
    """Our own operators by name, aliases included."""
    ops: dict[str, Operator] = {}
    for module_name, class_name in BUILTIN_MODULES.items():
        cls = getattr(importlib.import_module(f"graftpy.operators.{module_name}"), class_name)
        for alias in getattr(cls, "aliases", ()) or (cls.name,):
            ops[alias] = cls()
        ops[cls.name] = cls()
    from graftpy.operators.expression import expression_operators

    ops.update(expression_operators())
    return ops


@cache
def plugin_operators() -> dict[str, Operator]:
    """Operators of the ``graftpy.operators`` entry-point group.

    Looked up only when a name is not one of ours: reading every installed
    package's entry points costs ~60 ms, which most runs never need.
    """
    from importlib.metadata import entry_points

    found: dict[str, Operator] = {}
    for ep in entry_points(group="graftpy.operators"):
        cls = ep.load()
        op = cls() if isinstance(cls, type) else cls
        found[op.name or ep.name] = op
    return found


def all_operators() -> dict[str, Operator]:
    """Every known operator by name (built-ins first; plugins may not shadow them)."""
    return {**plugin_operators(), **builtin_operators()}


def get(name: str) -> Operator | None:
    found = builtin_operators().get(name)
    return found if found is not None else plugin_operators().get(name)


def is_operator(name: str) -> bool:
    return get(name) is not None
