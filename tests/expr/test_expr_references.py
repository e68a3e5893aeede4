"""The paths an expression may read, for the dependency graph."""

from __future__ import annotations

import pytest

from graftpy.expr import references, render

from .conftest import parse


def refs(src: str) -> list[str]:
    call = parse(src)
    assert call is not None
    return [".".join(p) for p in references(call)]


@pytest.mark.parametrize(
    ("src", "paths"),
    [
        # evaluator/022: the literal always stops the fallback, meta.boz is never read
        ('(( grab meta.bar || "foo?" || meta.boz ))', ["meta.bar"]),
        ('(( grab meta.xyzzy || "bar?" || meta.boz ))', ["meta.xyzzy"]),
        # evaluator/023
        ('(( concat "www.", meta.domain || "sandbox.example.com" ))', ["meta.domain"]),
        ("(( grab meta.web || meta.domain || ~ ))", ["meta.web", "meta.domain"]),
        # an environment variable can be unset: the next alternative counts
        ("(( grab $X || a ))", ["a"]),
        # nil is a literal that cannot fail either
        ("(( grab a || nil || b ))", ["a"]),
        # nested calls, infix, ternary, dynamic keys
        ('(( concat (grab a.b) "-" (grab c) ))', ["a.b", "c"]),
        ("(( a + b * c ))", ["a", "b", "c"]),
        ("(( x ? y : z ))", ["x", "y", "z"]),
        ("(( !flag && (p || q) ))", ["flag", "p", "q"]),
        ('(( join " " z[lookup] ))', ["z", "lookup"]),
        ("(( grab key[meta.which].sub ))", ["key", "meta.which"]),
        # or-else: a literal that is not nil stops it, nil does not
        ('(( "x" || b ))', []),
        ("(( nil || b ))", ["b"]),
        # duplicates are listed once
        ("(( a + a ))", ["a"]),
        ("(( static_ips(0, 1, 2) ))", []),
        ("(( defer grab meta.key ))", ["grab", "meta.key"]),
    ],
)
def test_references(src: str, paths: list[str]) -> None:
    assert refs(src) == paths


def test_dollar_components_are_keys_as_spelled() -> None:
    # graft does not read environment variables inside a dotted reference
    assert refs("(( grab services.$REGION.$ENV ))") == ["services.$REGION.$ENV"]


@pytest.mark.parametrize(
    ("src", "text"),
    [
        ("(( defer grab meta.name ))", "defer grab meta.name"),
        (
            '(( defer concat (grab app.name) "-" (grab app.version) ))',
            'defer concat grab app.name "-" grab app.version',
        ),
        ('(( defer grab this || "that" ))', 'defer grab this || "that"'),
        ("(( defer nil ))", "defer nil"),
        ("(( defer 1.23 ))", "defer 1.23"),
        ("(( defer $TESTVAR ))", "defer $TESTVAR"),
        ("(( defer grab meta.first[0] ))", "defer grab meta.first.0"),
        ("(( (a + b) * c ))", "(a + b) * c"),
        ("(( a ? !b : -c ))", "a ? !b : -c"),
    ],
)
def test_render(src: str, text: str) -> None:
    assert render(parse(src)) == text


def test_no_node_class_has_a_subclass() -> None:
    """``references`` (and other walks) tell nodes apart by class identity."""
    from graftpy.expr import nodes

    classes = [c for c in vars(nodes).values() if isinstance(c, type) and issubclass(c, nodes._Node)]
    assert len(classes) >= 9
    for cls in classes:
        if cls is not nodes._Node:
            assert cls.__subclasses__() == [], cls
