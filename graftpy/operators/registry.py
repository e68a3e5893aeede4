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
def all_operators() -> dict[str, Operator]:
    """Every known operator by name (built-ins first; plugins may not shadow them)."""
    ops: dict[str, Operator] = {}
    for module_name, class_name in BUILTIN_MODULES.items():
        try:
            module = importlib.import_module(f"graftpy.operators.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"graftpy.operators.{module_name}":
                raise
            continue  # not written yet
        cls = getattr(module, class_name)
        for alias in getattr(cls, "aliases", ()) or (cls.name,):
            ops[alias] = cls()
        ops[cls.name] = cls()
    from graftpy.operators.expression import expression_operators

    ops.update(expression_operators())
    for name, op in _plugins().items():
        ops.setdefault(name, op)
    return ops


def _plugins() -> dict[str, Operator]:
    from importlib.metadata import entry_points

    found: dict[str, Operator] = {}
    for ep in entry_points(group="graftpy.operators"):
        cls = ep.load()
        op = cls() if isinstance(cls, type) else cls
        found[op.name or ep.name] = op
    return found


def get(name: str) -> Operator | None:
    return all_operators().get(name)


def is_operator(name: str) -> bool:
    return name in all_operators()
