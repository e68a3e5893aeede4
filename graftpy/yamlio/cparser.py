"""libyaml's C parser (ruamel.yaml.clib) without loading the rest of ruamel.yaml first.

The C extension ``_ruamel_yaml`` imports the few ruamel.yaml modules it builds on
(events, errors, nodes, ...). Imported the usual way, those imports first run
``ruamel/yaml/__init__.py``, which loads the whole Python library (``YAML()``,
its loaders, dumpers and resolvers): a fifth of ruamel's import cost, about
20 M instructions (5 ms), on every run, for nothing a merge uses.

So ``events_module`` registers the package as a module whose ``__init__`` has
not run yet (``_package_not_yet_run``); the C extension's imports of its
submodules then load only those submodules. The ``__init__`` runs, into that
same module, the first time anything asks for a name only it defines (``from
ruamel.yaml import YAML`` in the pure-Python fallback or ``graftpy diff``), so
every other user of ruamel.yaml sees the package exactly as usual.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

_lock = threading.RLock()  # two first parses, on two threads, register the package once
_built: Any = None  # the event classes the C parser builds, once it is imported


def events_module() -> Any:
    """The event classes the C parser ``_ruamel_yaml`` builds, by name (as in
    ``ruamel.yaml.events``: ``ScalarEvent``, ...), with the C parser imported.
    The hot ones are ``graftpy.yamlio.lean_events``' subclasses of ruamel's."""
    global _built
    if _built is not None:
        return _built
    with _lock:
        if _built is None:
            if "ruamel.yaml" not in sys.modules:
                _package_not_yet_run()
            import types

            import _ruamel_yaml  # the C extension of ruamel.yaml.clib
            from ruamel.yaml import events

            from graftpy.yamlio.lean_events import install

            _built = types.SimpleNamespace(**install(_ruamel_yaml, events))
    return _built


def _package_not_yet_run() -> None:
    """Put ``ruamel.yaml`` in ``sys.modules`` with its ``__init__`` deferred."""
    import importlib.machinery
    import types

    import ruamel  # a namespace package: nothing runs

    spec = importlib.machinery.PathFinder.find_spec("ruamel.yaml", list(ruamel.__path__))
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not installed as expected: the plain import says what is wrong
    module = types.ModuleType(spec.name)
    module.__spec__ = spec
    module.__loader__ = spec.loader
    module.__file__ = spec.origin
    module.__path__ = list(spec.submodule_search_locations)
    module.__package__ = spec.name
    ran = False

    def run_init_on_first_use(name: str) -> Any:  # the module's __getattr__ (PEP 562)
        nonlocal ran
        with _lock:
            if not ran:
                ran = True
                spec.loader.exec_module(module)
                module.__dict__.pop("__getattr__", None)
        try:
            return module.__dict__[name]
        except KeyError:
            raise AttributeError(f"module 'ruamel.yaml' has no attribute {name!r}") from None

    module.__getattr__ = run_init_on_first_use  # type: ignore[attr-defined]
    sys.modules[spec.name] = module
    ruamel.yaml = module  # type: ignore[attr-defined]
