"""Evaluating expressions: references, fallbacks, environment, dynamic keys."""

from __future__ import annotations

import pytest

from graftpy.errors import GraftError
from graftpy.expr import (
    Call,
    EnvVar,
    ExprError,
    Literal,
    Or,
    Reference,
    env_value,
    evaluate,
    evaluate_call,
)

from .conftest import DictScope, parse, run

META = {"meta": {"env": "prod", "nothing": None, "zero": 0, "no": False}}


# -- references ------------------------------------------------------------------------


def test_reference_values() -> None:
    tree = {"list": [10, {"name": "web", "x": 1}], "a": {"b": [0, 1]}}
    assert run("(( grab list.0 ))", tree) == 10
    assert run("(( grab list.web.x ))", tree) == 1
    assert run("(( grab a.b[1] ))", tree) == 1


def test_missing_reference_message() -> None:
    with pytest.raises(ExprError) as exc:
        run("(( grab my.value ))", {})
    assert exc.value.message == (
        "Unable to resolve `my.value`: `$.my` could not be found in the datastructure"
    )


def test_missing_reference_message_uses_the_dotted_path() -> None:
    tree = {"local": {"sites": [{"uuid": 1}]}}
    with pytest.raises(ExprError) as exc:
        run('(( concat "x" local.sites.[42].uuid ))', tree)
    assert exc.value.message == (
        "Unable to resolve `local.sites.42.uuid`: "
        "`$.local.sites.42` could not be found in the datastructure"
    )


def test_dollar_components_in_dotted_paths_are_keys() -> None:
    # graft reads a variable only in brackets: regions[$REGION]
    tree = {"regions": {"eu": {"ami": "x"}, "$REGION": {"ami": "literal"}}}
    assert run("(( grab regions.$REGION.ami ))", tree, {"REGION": "eu"}) == "literal"
    assert run("(( grab regions[$REGION].ami ))", tree, {"REGION": "eu"}) == "x"
    assert run("(( grab regions[$REGION].ami ))", tree, {}) == "literal"  # unset: as written
    with pytest.raises(ExprError, match=r"Unable to resolve `regions\.\$REGION\.ami`"):
        run("(( grab regions.$REGION.ami ))", {"regions": {}}, {"REGION": "eu"})


# -- fallbacks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ('(( grab meta.domain || "default-domain" ))', "default-domain"),
        ('(( grab meta.env || "sandbox" ))', "prod"),
        ("(( grab meta.nice || -5 ))", -5),
        ("(( grab meta.delta || .001 ))", 0.001),
        ('(( grab meta.enoent || false || meta.env || "failed" ))', False),
        ('(( grab meta.enoent || 0 || meta.env || "failed" ))', 0),
        ('(( grab meta.enoent || nil || meta.env || "failed" ))', None),
        ('(( grab meta.first || meta.env || "unspecified" ))', "prod"),
        ('(( grab meta.nothing || "x" ))', None),  # found, even if nil
        ('(( grab meta.no || "x" ))', False),
    ],
)
def test_argument_fallback_stops_at_the_first_success(src: str, value: object) -> None:
    assert run(src, META) == value


def test_fallback_over_failing_nested_call() -> None:
    assert run('(( grab (grab meta.enoent) || "d" ))', META) == "d"


def test_fallback_over_unset_environment_variable() -> None:
    assert run('(( grab $CUSTOM || "default" ))', {}, {}) == "default"
    assert run('(( grab $CUSTOM || "default" ))', {}, {"CUSTOM": "set"}) == "set"


@pytest.mark.parametrize(
    ("tree", "value"),
    [
        ({"first": "hello", "second": "world"}, "hello"),
        ({"first": None, "second": "fallback"}, "fallback"),
        ({"first": False, "second": True}, False),
        ({"second": "s"}, "s"),
    ],
)
def test_bare_or_else(tree: dict, value: object) -> None:
    assert run("(( first || second ))", tree) == value


def test_or_else_keeps_the_left_failure_away() -> None:
    # graft's "Reference Error" for the right side, its colour markup unrendered
    with pytest.raises(ExprError) as info:
        run("(( first || second ))", {})
    text = "`$.second` could not be found in the datastructure"
    assert info.value.message == f"@*R{{Reference Error}}: {text}\n  caused by: {text}"


# -- environment variables --------------------------------------------------------------


def test_unset_environment_variable() -> None:
    scope = DictScope(env={"EMPTY": ""})
    for name in ("NOPE", "EMPTY"):
        with pytest.raises(ExprError) as exc:
            evaluate(EnvVar(name), scope)
        assert exc.value.message == f"environment variable '{name}' is not set"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("plain", "plain"),
        ("42", "42"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("-5", -5),
        ("-1.5", -1.5),
        ("-foo", "-foo"),
        ("[a, b]", ["a", "b"]),
        ("{a: 1}", {"a": 1}),
        ("- x\n- y", ["x", "y"]),
        ("[unclosed", "[unclosed"),
    ],
)
def test_environment_values(raw: str, value: object) -> None:
    assert env_value(raw) == value


# -- dynamic keys (spruce's m[ref]) ----------------------------------------------------------


def test_join_via_dynamic_bracket_reference() -> None:
    tree = {"z": {"greeting": ["hello", "world"]}, "lookup": "greeting"}
    call = parse('(( join " " z[lookup] ))')
    assert call is not None
    assert evaluate(call.args[1], DictScope(tree)) == ["hello", "world"]


@pytest.mark.parametrize(
    ("tree", "src", "value"),
    [
        ({"key": {"subkey": "found"}, "meta": {"which": "subkey"}}, "key[meta.which]", "found"),
        ({"versions": {"2": "second"}, "pick": 2}, "versions[pick]", "second"),
        ({"m": {"true": "yes"}, "flag": True}, "m[flag]", "yes"),
        ({"m": {"1.5": "x"}, "f": 1.5}, "m[f]", "x"),
        ({"key": {"a": {"b": 1}}, "k": "a"}, "key[k].b", 1),
        ({"list": ["a", "b"], "i": 1}, "list[i]", "b"),
        ({"key": {"subkey": "env"}}, "key[$SUB]", "env"),
    ],
)
def test_dynamic_lookup(tree: dict, src: str, value: object) -> None:
    assert run(f"(( grab {src} ))", tree, {"SUB": "subkey"}) == value


def test_dynamic_key_must_be_a_scalar() -> None:
    tree = {"key": {"subkey": 1}, "lookup": {"nested": "subkey"}}
    with pytest.raises(ExprError) as exc:
        run("(( grab key[lookup] ))", tree)
    assert exc.value.message == (
        'bracketed key reference "lookup" resolved to map[interface {}]interface {}; '
        "expected a scalar (string, int, float, or bool)"
    )


def test_dynamic_key_not_found() -> None:
    with pytest.raises(ExprError) as exc:
        run("(( grab key[lookup] ))", {"key": {}})
    assert exc.value.message == (
        'unable to resolve bracketed key reference "lookup": '
        "`$.lookup` could not be found in the datastructure"
    )


def test_dynamic_key_value_not_found() -> None:
    with pytest.raises(ExprError, match="Unable to resolve `key.other`"):
        run("(( grab key[lookup] ))", {"key": {}, "lookup": "other"})


# -- nested calls and expression operators ------------------------------------------------


def test_nested_calls_go_through_the_scope() -> None:
    scope = DictScope({"a": "x", "b": "y"})
    call = parse('(( concat (grab a) "-" (grab b) ))')
    assert call is not None
    assert scope.call(call) == "x-y"
    assert scope.calls == ["concat", "grab", "grab"]


def test_ternary_evaluates_only_the_chosen_branch() -> None:
    assert run("(( flag ? (grab yes) : (grab missing) ))", {"flag": 1, "yes": "y"}) == "y"
    assert run("(( flag ? missing : 2 ))", {"flag": ""}) == 2


def test_and_short_circuits() -> None:
    assert run("(( no && missing ))", {"no": 0}) is False
    assert run("(( yes && other ))", {"yes": 1, "other": "x"}) is True


def test_evaluate_call_on_expression_operators() -> None:
    scope = DictScope({"a": 2})
    assert evaluate_call(Call("+", (Reference(("a",), "a"), Literal(3)), "a + 3"), scope) == 5
    assert evaluate_call(Call("!", (Literal(""),), "!"), scope) is True
    assert evaluate_call(Call("?:", (Literal(0), Literal(1), Literal(2)), "?"), scope) == 2
    with pytest.raises(ExprError):
        evaluate_call(Call("+", (Literal(1),), "+"), scope)


def test_or_node_evaluation() -> None:
    scope = DictScope({"n": None})
    assert evaluate(Or(Reference(("n",), "n"), Literal(1)), scope) is None
    assert evaluate(Or(Reference(("x",), "x"), Literal(1)), scope) == 1


# -- graft's words for what fails inside an expression ------------------------------------


class HereScope(DictScope):
    """A DictScope at a place in the document (``here``), as the evaluator's is."""

    here = ("r",)


def fails(src: str, tree: object = None, env: dict[str, str] | None = None) -> str:
    call = parse(src)
    assert call is not None
    with pytest.raises(GraftError) as info:
        HereScope(tree, env).call(call)
    return info.value.message


MISSING = "Unable to resolve `m.x`: `$.m` could not be found in the datastructure"


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("(( 1 + (2 + m.x) ))", f"nested operator + failed: $.r: {MISSING}"),
        (
            "(( 1 + (1 + (1 + m.x)) ))",
            f"nested operator + failed: $.r: nested operator + failed: $.r: {MISSING}",
        ),
        ("(( ! (1 + m.x) ))", f"nested operator + failed: $.r: {MISSING}"),
        ("(( ! m.x ))", MISSING),  # a reference is no operation of its own
        ("(( 1 + (m.x) ))", MISSING),
        (
            "(( (1 > m.x) ? 1 : 2 ))",
            f"failed to evaluate ternary condition: nested operator > failed: $.r: {MISSING}",
        ),
        ("(( m.x ? 1 : 2 ))", f"failed to evaluate ternary condition: {MISSING}"),
        ("(( true ? m.x : 2 ))", f"failed to evaluate true branch: {MISSING}"),
        ("(( false ? 1 : m.x ))", f"failed to evaluate false branch: {MISSING}"),
        ("(( m.y || (1 + m.x) ))", f"$.<generated>: {MISSING}"),
        (
            "(( 1 + (m.x ? 1 : 2) ))",
            f"nested operator ?: failed: $.r: failed to evaluate ternary condition: {MISSING}",
        ),
        (
            "(( 1 + (m.y || (1 + m.x)) ))",
            f"nested operator || failed: $.r: $.<generated>: {MISSING}",
        ),
    ],
)
def test_failures_inside_expressions_read_as_graft_words_them(src: str, message: str) -> None:
    assert fails(src, {}) == message


def test_the_generated_place_is_only_for_the_right_side() -> None:
    scope = HereScope({})
    call = parse("(( m.y || (1 + m.x) ))")
    assert call is not None
    with pytest.raises(GraftError):
        scope.call(call)
    assert scope.here == ("r",)


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("(( $PORT + 1 ))", "$PORT1"),  # graft expands variables in arguments only
        ("(( $UNSET + 1 ))", "$UNSET1"),
        ("(( $PORT || 1 ))", "$PORT"),
        ('(( $UNSET == "$UNSET" ))', True),
        ("(( $NO && true ))", True),  # the text $NO, not false
        ("(( ! $NO ))", False),
        ('(( concat $PORT "x" ))', "8080x"),  # an argument: expanded
        ('(( "x" + (concat $PORT "") ))', "x8080"),
    ],
)
def test_variables_are_their_own_names_as_operands(src: str, value: object) -> None:
    assert HereScope({}, {"PORT": "8080", "NO": "false"}).call(parse(src)) == value
