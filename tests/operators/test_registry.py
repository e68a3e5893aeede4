"""The registry's table of built-in operators matches the operator modules."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import graftpy.operators
from graftpy.operators import registry
from graftpy.operators.base import Operator


def operator_classes() -> dict[str, type[Operator]]:
    """Every concrete Operator subclass defined in a module of graftpy.operators."""
    found = {}
    for info in pkgutil.iter_modules(graftpy.operators.__path__):
        module = importlib.import_module(f"graftpy.operators.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Operator) and cls.__module__ == module.__name__ and cls.name:
                found[f"{info.name}:{cls.__name__}"] = cls
    return found


def test_every_operator_module_is_in_the_table_under_each_of_its_names() -> None:
    listed = {f"{module}:{cls}" for module, cls in registry.BUILTIN.values()}
    classes = operator_classes()
    assert listed == set(classes)  # no module left out, none listed that is not there
    for where, cls in classes.items():
        for name in (cls.name, *getattr(cls, "aliases", ())):
            assert ":".join(registry.BUILTIN[name]) == where


def test_a_lookup_imports_only_that_operator() -> None:
    code = (
        "import sys\n"
        "from graftpy.operators import registry\n"
        "assert registry.is_operator('vault') and registry.is_operator('+')\n"
        "assert not registry.is_operator('no-such-operator')\n"
        "op = registry.get('keys')\n"
        "assert op is registry.get('keys') and op.name == 'keys'\n"
        "print(sorted(m for m in sys.modules if m.startswith('graftpy.operators.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['graftpy.operators.argkinds', 'graftpy.operators.base', "
        "'graftpy.operators.keys', 'graftpy.operators.registry']"
    )


def test_every_name_gives_one_instance_per_class() -> None:
    ops = registry.all_operators()
    assert set(registry.builtin_names()) <= set(ops)
    assert ops["vault-try"] is registry.get("vault-try")
    assert ops["+"].name == "+" and ops["||"].copies_input and not ops["+"].copies_input
    assert registry.get("nope") is None
