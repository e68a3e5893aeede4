"""The C parser is imported without running ruamel.yaml's ``__init__``, and the package
still works as usual for everything that asks for it afterwards (``graftpy.yamlio.cparser``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_parse_loads_only_what_the_c_parser_needs_and_the_package_works_after() -> None:
    out = run_python(
        """
        import sys
        from graftpy.yamlio.loader import parse_first_document
        print(parse_first_document("a: [1, two]\\n", "x.yml"))
        print("ruamel.yaml.main" in sys.modules, "ruamel.yaml.cyaml" in sys.modules)
        from ruamel.yaml import YAML
        import ruamel.yaml
        import ruamel.yaml.events
        print(YAML(typ="safe", pure=True).load("b: 2"), ruamel.yaml.__version__ > "0")
        print(ruamel.yaml.events is sys.modules["ruamel.yaml.events"], "ruamel.yaml.main" in sys.modules)
        """
    )
    assert out.splitlines() == ["{'a': [1, 'two']}", "False False", "{'b': 2} True", "True True"]


def test_the_pure_python_fallback_runs_the_package_on_first_use() -> None:
    # libyaml refuses `x:y` in a flow map; the pure-Python parser (YAML()) reads it
    out = run_python(
        """
        from graftpy.yamlio.loader import parse_first_document
        print(parse_first_document("a: {u: nats://h:4222}\\n", "x.yml"))
        """
    )
    assert out == "{'a': {'u': 'nats://h:4222'}}\n"


THREADS = """
import sys, threading
from graftpy.yamlio.loader import parse_first_document
results, errors = [], []
def parse(i):
    try:
        if USE_YAML and i % 3 == 0:
            from ruamel.yaml import YAML
            results.append(YAML(typ="safe", pure=True).load(f"n: {i}")["n"])
        else:
            results.append(parse_first_document(f"n: {i}\\n", "x.yml")["n"])
    except Exception as exc:
        errors.append(repr(exc))
FIRST
threads = [threading.Thread(target=parse, args=(i,)) for i in range(12)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(results), errors, "ruamel.yaml.main" in sys.modules)
"""


def test_first_parses_on_many_threads_at_once_import_the_parser_once() -> None:
    for _ in range(5):  # a race shows only now and then
        out = run_python(THREADS.replace("USE_YAML", "False").replace("FIRST", ""))
        assert out == f"{list(range(12))} [] False\n"


def test_after_a_parse_threads_may_use_the_whole_package_and_the_parser_at_once() -> None:
    # graftpy's first parse (an input file) is always on the main thread, before any
    # worker runs a (( load )) or a pure-Python parse
    code = THREADS.replace("USE_YAML", "True").replace("FIRST", "parse(0); results.clear()")
    for _ in range(5):
        assert run_python(code) == f"{list(range(12))} [] True\n"
