"""Every ``(( ... ))`` string in the conformance corpus parses, and the fast
path agrees with the full parser on each of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graftpy.expr import Call, ExprSyntaxError
from graftpy.expr.parser import parse_tokens
from graftpy.expr.simple import parse_simple

from .conftest import is_operator, parse

# the repository's ../shared, as the benchmarks and the conformance runner find it
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "conformance"


def _strings(value: object, out: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    elif isinstance(value, str) and "((" in value:
        out.add(value)


def _corpus_expressions() -> list[str]:
    found: set[str] = set()
    for f in sorted(CORPUS.glob("**/*.yml")):
        try:
            for doc in yaml.load_all(f.read_text(), Loader=yaml.BaseLoader):
                _strings(doc, found)
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
    return sorted(found)


EXPRESSIONS = _corpus_expressions() if CORPUS.is_dir() else []


@pytest.mark.skipif(not EXPRESSIONS, reason="conformance corpus not available")
def test_every_corpus_expression_parses() -> None:
    failures = []
    unknown = set()
    for src in EXPRESSIONS:
        try:
            call = parse(src)
        except ExprSyntaxError as e:
            failures.append(f"{src!r}: {e}")
            continue
        if isinstance(call, Call) and not is_operator(call.name):
            unknown.add(call.name)
    assert failures == []
    # the operators the corpus uses that graft does not have, or infix roots
    assert unknown <= {
        "len",
        "notanop",
        "+",
        "-",
        "*",
        "/",
        "%",
        "==",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "&&",
        "||",
        "!",
        "?:",
        "append",
        "prepend",
        "inline",
        "replace",
        "merge",
        "delete",
        "insert",
        "nats",
    }


@pytest.mark.skipif(not EXPRESSIONS, reason="conformance corpus not available")
def test_fast_path_agrees_on_the_corpus() -> None:
    used = 0
    for src in EXPRESSIONS:
        body = src.strip()
        if not (body.startswith("((") and body.endswith("))")):
            continue
        start = src.index("((") + 2
        stop = start + len(body) - 4
        fast = parse_simple(src, start, stop, is_operator, body)
        if fast is None:
            continue
        used += 1
        assert repr(fast) == repr(parse_tokens(src, start, stop, is_operator, body)), src
    assert used > 500
