"""Name -> operator lookup: our own operators, loaded on use, then plugins.

Built-in operators live one per module in this package; each module defines
one ``Operator`` subclass. ``BUILTIN`` below names every built-in operator
(aliases included) with the module and class that implement it, so the
registry knows every name without importing anything: a run imports the
modules of the operators its document uses, and nothing else.
``tests/operators/test_registry.py`` checks that the table matches the classes.

Plugins. Third-party packages add operators through the ``graftpy.operators``
entry-point group: the entry point's name is the operator's name, and it
points at an ``Operator`` subclass (or an instance)::

    [project.entry-points."graftpy.operators"]
    shout = "shoutplug:Shout"

Entry points are read only when a name is not one of ours (reading every
installed package's metadata costs ~60 ms), and a plugin is imported only when
a document uses its name. A plugin that fails to load (an import error, a
missing class, a constructor that raises, not an ``Operator``) is reported by
name, where it is used, as ``PluginError``; it affects no other name. A plugin
whose ``run`` raises anything but a ``GraftError`` is reported the same way at
the call's path (``plugin_failure``), not as an internal error of graftpy. A plugin
cannot replace a built-in operator: the built-in wins.
"""

from __future__ import annotations

import importlib
from typing import Any

from graftpy.errors import GraftError
from graftpy.operators.base import Operator

# operator name -> (module under graftpy.operators, class name)
BUILTIN: dict[str, tuple[str, str]] = {
    "grab": ("grab", "GrabOperator"),
    "concat": ("concat", "ConcatOperator"),
    "join": ("join", "JoinOperator"),
    "keys": ("keys", "KeysOperator"),
    "sort": ("sort", "SortOperator"),
    "static_ips": ("static_ips", "StaticIPsOperator"),
    "ips": ("ips", "IPsOperator"),
    "inject": ("inject", "InjectOperator"),
    "param": ("param", "ParamOperator"),
    "prune": ("prune", "PruneOperator"),
    "calc": ("calc", "CalcOperator"),
    "base64": ("base64", "Base64Operator"),
    "base64-decode": ("base64_decode", "Base64DecodeOperator"),
    "cartesian-product": ("cartesian_product", "CartesianProductOperator"),
    "defer": ("defer", "DeferOperator"),
    "empty": ("empty", "EmptyOperator"),
    "file": ("file", "FileOperator"),
    "load": ("load", "LoadOperator"),
    "negate": ("negate", "NegateOperator"),
    "null": ("null", "NullOperator"),
    "shuffle": ("shuffle", "ShuffleOperator"),
    "stringify": ("stringify", "StringifyOperator"),
    "split": ("split", "SplitOperator"),
    "vault": ("vault", "VaultOperator"),
    "vault-try": ("vault_try", "VaultTryOperator"),
    "awsparam": ("awsparam", "AwsParamOperator"),
    "awssecret": ("awssecret", "AwsSecretOperator"),
    "nats": ("nats", "NatsOperator"),
    "raw_env": ("raw_env", "RawEnvOperator"),
}

ENTRY_POINT_GROUP = "graftpy.operators"

_loaded: dict[str, Operator] = {}  # name -> instance (one per class: lanes are per instance)
_by_class: dict[type, Operator] = {}
_plugins: dict[str, Any] | None = None  # name -> entry point, read on first need
_broken: dict[str, PluginError] = {}
_origins: dict[str, str] = {}  # plugin operator name -> "'module:Class' (package x 1.0)"
_names: frozenset[str] | None = None


class PluginError(GraftError):
    """An installed operator plugin that cannot be used; names the plugin and why."""

    def __init__(self, name: str, origin: str, reason: str) -> None:
        super().__init__(f"(( {name} )) operator plugin {origin} failed to load: {reason}")
        self.operator = name


def builtin_names() -> frozenset[str]:
    """Every built-in operator name, the expression symbols (``+``, ``||``...) included."""
    global _names
    if _names is None:
        from graftpy.expr.evaluate import EXPRESSION_OPERATORS

        _names = frozenset(BUILTIN) | EXPRESSION_OPERATORS
    return _names


def _builtin(name: str) -> Operator | None:
    where = BUILTIN.get(name)
    if where is None:
        from graftpy.expr.evaluate import EXPRESSION_OPERATORS

        if name not in EXPRESSION_OPERATORS:
            return None
        from graftpy.operators.expression import ExpressionOperator

        op: Operator = ExpressionOperator(name)
    else:
        module, class_name = where
        cls = getattr(importlib.import_module(f"graftpy.operators.{module}"), class_name)
        op = _by_class.get(cls) or cls()
        _by_class[cls] = op
    _loaded[name] = op
    return op


def _entry_points() -> dict[str, Any]:
    global _plugins
    if _plugins is None:
        from importlib.metadata import entry_points

        found: dict[str, Any] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            found.setdefault(ep.name, ep)  # the first installed wins, as importlib lists them
        _plugins = found
    return _plugins


def _origin(ep: Any) -> str:
    dist = getattr(ep, "dist", None)
    package = f" (package {dist.name} {dist.version})" if dist is not None else ""
    return f"'{ep.value}'{package}"


def _plugin(name: str) -> Operator | None:
    ep = _entry_points().get(name)
    if ep is None:
        return None
    try:
        target = ep.load()
        op = target() if isinstance(target, type) else target
        if not isinstance(op, Operator):
            raise TypeError(f"{type(op).__name__} is not a graftpy Operator")
        if not op.name:
            op.name = name  # type: ignore[misc] - the entry point names it
    except Exception as exc:  # noqa: BLE001 - whatever a broken plugin raises, said by name
        _broken[name] = PluginError(name, _origin(ep), f"{type(exc).__name__}: {exc}")
        raise _broken[name] from None
    _loaded[name] = op
    _origins[name] = _origin(ep)
    return op


def plugin_failure(name: str, exc: Exception) -> str | None:
    """The error text for plugin operator ``name`` that raised ``exc``, not a
    ``GraftError``: a bug of the plugin, reported at the call's path by the plugin's
    name like any error, rather than as graftpy's internal error. None when ``name``
    is not a plugin's (a bug of ours stays one)."""
    origin = _origins.get(name)
    if origin is None:
        return None
    return f"(( {name} )) operator plugin {origin} failed: {type(exc).__name__}: {exc}"


def get(name: str) -> Operator | None:
    """The operator called ``name``; None when there is none.

    Raises ``PluginError`` when ``name`` belongs to an installed plugin that
    does not load.
    """
    op = _loaded.get(name)
    if op is not None:
        return op
    op = _builtin(name)
    if op is not None:
        return op
    broken = _broken.get(name)
    if broken is not None:
        raise broken
    return _plugin(name)


def is_operator(name: str) -> bool:
    """Whether ``name`` is an operator's name; imports nothing (plugins included)."""
    if name in _loaded or name in builtin_names():
        return True
    return name in _entry_points()


def builtin_operators() -> dict[str, Operator]:
    """Our own operators by name, aliases and expression symbols included (imports them all)."""
    return {name: op for name in sorted(builtin_names()) if (op := _builtin_cached(name))}


def _builtin_cached(name: str) -> Operator | None:
    return _loaded.get(name) or _builtin(name)


def all_operators() -> dict[str, Operator]:
    """Every usable operator by name, importing them all (built-ins win over plugins).

    For listings (docs, completion); a broken plugin is left out.
    """
    found: dict[str, Operator] = {}
    for name in _entry_points():
        try:
            op = get(name)
        except PluginError:
            continue
        if op is not None:
            found[name] = op
    for name in sorted(builtin_names()):
        op = get(name)
        if op is not None:
            found[name] = op
    return found


def broken_plugins() -> dict[str, PluginError]:
    """Plugins found broken so far (a name is tried when a document uses it)."""
    return dict(_broken)
