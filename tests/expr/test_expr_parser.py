"""Parsing whole ``(( ... ))`` strings into calls and expression trees."""

from __future__ import annotations

import math

import pytest

from graftpy.expr import (
    BinOp,
    Call,
    EnvVar,
    ExprSyntaxError,
    Index,
    Literal,
    Or,
    Reference,
    Ternary,
    UnaryOp,
    as_node,
    render,
)

from .conftest import parse


def ref(text: str) -> Reference:
    return Reference(tuple(text.split(".")), text)


def lit(v: object) -> Literal:
    return Literal(v)  # type: ignore[arg-type]


def args(src: str) -> tuple:
    call = parse(src)
    assert call is not None
    return call.args


# -- what is an expression at all ---------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "plain text",
        "((",
        "(( grab a",
        "grab a ))",
        "x (( grab a ))",
        "((a)) ((b))",
        "(( a ))(( b ))",
        "((db-password))",
        "((/a/b))",
        "((!x))",
        "((a+b))",
        "((thing))",
        '(("x"))',
        "(( thing ))",
        '(( "thing" ))',
        "(( 123 ))",
        "(( 1.23 ))",
        "(( nil ))",
        "(( true ))",
        "(( $TESTVAR ))",
        "(( a.b[0] ))",
    ],
)
def test_not_an_operator_call(src: str) -> None:
    assert parse(src) is None


def test_known_call_without_whitespace_is_not_a_placeholder() -> None:
    assert parse("((grab))") == Call("grab", (), "((grab))")
    assert parse("((static_ips(0)))") == Call("static_ips", (lit(0),), "((static_ips(0)))")


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse("  (( grab a ))\n") == Call("grab", (ref("a"),), "(( grab a ))")


def test_multiline_expression() -> None:
    src = '((\n  concat\n    (grab a) "x"\n))'
    call = parse(src)
    assert call == Call("concat", (Call("grab", (ref("a"),), "(grab a)"), lit("x")), src)


# -- operator calls -------------------------------------------------------------


def test_space_separated_arguments() -> None:
    assert args('(( concat "c=" cluster.name "/" env ";" local.sites.[1].uuid ))') == (
        lit("c="),
        ref("cluster.name"),
        lit("/"),
        ref("env"),
        lit(";"),
        Reference(("local", "sites", "1", "uuid"), "local.sites.[1].uuid"),
    )


def test_comma_separated_arguments_and_fallbacks() -> None:
    expected = (Or(ref("meta.foo"), lit("foo")), Or(ref("meta.bar"), lit("bar")))
    assert args('(( concat meta.foo || "foo", meta.bar || "bar" ))') == expected
    assert args('(( concat meta.foo || "foo"  meta.bar || "bar" ))') == expected


def test_fallback_chains_associate_left() -> None:
    assert args('(( grab meta.enoent || 0 || meta.other || "failed" ))') == (
        Or(Or(Or(ref("meta.enoent"), lit(0)), ref("meta.other")), lit("failed")),
    )


def test_function_style_call() -> None:
    call = parse('(( static_ips(0, "z2:2", "z1:3") ))')
    assert call == Call(
        "static_ips", (lit(0), lit("z2:2"), lit("z1:3")), '(( static_ips(0, "z2:2", "z1:3") ))'
    )
    assert args("(( static_ips(-11) ))") == (lit(-11),)


def test_operator_names_in_argument_position_are_references() -> None:
    assert args('(( cartesian-product ips ":80" ))') == (ref("ips"), lit(":80"))
    assert args("(( defer grab meta.key ))") == (ref("grab"), ref("meta.key"))
    assert args("(( sort by cost ))") == (ref("by"), ref("cost"))


def test_nested_calls() -> None:
    call = parse('(( concat "Basic " (base64 (concat "admin" ":" "secret")) ))')
    assert call is not None
    inner = Call("concat", (lit("admin"), lit(":"), lit("secret")), '(concat "admin" ":" "secret")')
    assert call.args == (lit("Basic "), Call("base64", (inner,), f"(base64 {inner.text})"))


def test_nested_call_arguments_use_fallback_or() -> None:
    (arg,) = args("(( grab config.cache_ttl || (grab smart_defaults.is_production ? 3600 : 60) ))")
    assert arg == Or(
        ref("config.cache_ttl"),
        Call(
            "grab",
            (Ternary(ref("smart_defaults.is_production"), lit(3600), lit(60)),),
            "(grab smart_defaults.is_production ? 3600 : 60)",
        ),
    )


def test_operator_call_with_target() -> None:
    call = parse('(( vault@production "secret/x:y" || "d" ))')
    assert call == Call("vault", (Or(lit("secret/x:y"), lit("d")),), call.text, "production")
    assert render(call) == 'vault@production "secret/x:y" || "d"'


def test_call_without_arguments() -> None:
    assert parse("(( prune ))") == Call("prune", (), "(( prune ))")
    assert parse("(( null ))") == Call("null", (), "(( null ))")


def test_operator_name_followed_by_infix_is_a_reference() -> None:
    assert parse("(( grab + 1 ))") == Call("+", (ref("grab"), lit(1)), "(( grab + 1 ))")


# -- literals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("42", 42),
        ("-5", -5),
        ("+7", 7),
        ("0777", 777),
        ("3.14159", 3.14159),
        (".001", 0.001),
        ("-0.5", -0.5),
        ("6239871649276491287621342", 6.239871649276491e24),
        # graft's numbers: ParseInt base 10, else ParseFloat
        ("1e3", 1000.0),
        ("1E-3", 0.001),
        ("5.", 5.0),
        ("1_000", 1000.0),
        ("0x1p3", 8.0),
        ("08", 8),
        ("9223372036854775808", 9.223372036854776e18),
        ("inf", math.inf),
        ("-Infinity", -math.inf),
        ("nil", None),
        ("null", None),
        ("~", None),
        ("Nil", None),
        ("NULL", None),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
    ],
)
def test_literal_words(word: str, value: object) -> None:
    (arg,) = args(f"(( grab {word} ))")
    assert arg == Literal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "word", ["TrUe", "FaLSe", "NuLL", "yes", "1.2.3", "0x1F", "0o17", "1e400", "1__0", "infinit"]
)
def test_other_words_are_references(word: str) -> None:
    (arg,) = args(f"(( grab {word} ))")
    assert isinstance(arg, Reference)


def test_literal_equality_keeps_the_type() -> None:
    assert Literal(True) != Literal(1)
    assert Literal(1) != Literal(1.0)
    assert Literal(1) == Literal(1, pos=9)


def test_environment_variables() -> None:
    assert args("(( grab $PATH || $HOME ))") == (Or(EnvVar("PATH"), EnvVar("HOME")),)
    assert args("(( grab configurations.$ENV.cache ))") == (
        Reference(("configurations", "$ENV", "cache"), "configurations.$ENV.cache"),
    )
    # graft reads any word starting with `$` as a variable (spruce: `$.` is the root)
    assert args("(( grab $.meta.x ))") == (EnvVar(".meta.x"),)
    assert args("(( grab $ ))") == (EnvVar(""),)
    assert args("(( grab $a[0] ))") == (EnvVar("a[0]"),)


def test_bracket_group_is_a_string_literal() -> None:
    assert parse("(( ![1, 2, 3] ))") == Call("!", (lit("[1, 2, 3]"),), "(( ![1, 2, 3] ))")
    assert parse("(( !{} ))") == Call("!", (lit("{}"),), "(( !{} ))")


# -- references and dynamic keys ----------------------------------------------------


def test_static_brackets_are_path_components() -> None:
    assert args("(( grab meta.first[0] jobs.x.static_ips.[0] ))") == (
        Reference(("meta", "first", "0"), "meta.first[0]"),
        Reference(("jobs", "x", "static_ips", "0"), "jobs.x.static_ips.[0]"),
    )


def test_dynamic_bracket_lookup() -> None:
    (arg,) = args('(( join " " z[lookup] ))')[1:]
    assert arg == Index(Reference(("z",), "z"), Reference(("lookup",), "lookup"))


def test_dynamic_bracket_with_nested_path_and_tail() -> None:
    (arg,) = args("(( grab key[meta.which].sub ))")
    assert arg == Index(
        Index(Reference(("key",), "key"), Reference(("meta", "which"), "meta.which")),
        Literal("sub"),
    )
    assert render(arg) == "key[meta.which].sub"


def test_env_var_in_brackets_is_read_from_the_environment() -> None:
    assert args("(( grab key[$SUB] ))") == (Index(Reference(("key",), "key"), EnvVar("SUB")),)


# -- bare expressions ---------------------------------------------------------------------


def test_bare_binary_expression_becomes_the_root_operator_call() -> None:
    assert parse("(( a + b ))") == Call("+", (ref("a"), ref("b")), "(( a + b ))")
    assert parse("(( first || second ))") == Call(
        "||", (ref("first"), ref("second")), "(( first || second ))"
    )


def test_bare_unary_and_ternary() -> None:
    assert parse("(( !yes ))") == Call("!", (ref("yes"),), "(( !yes ))")
    src = '(( user.role == "admin" ? "full" : "limited" ))'
    assert parse(src) == Call(
        "?:", (BinOp("==", ref("user.role"), lit("admin")), lit("full"), lit("limited")), src
    )
    assert parse("(( - a ))") == Call("-", (ref("a"),), "(( - a ))")


def test_a_parenthesized_call_alone_is_no_expression() -> None:
    assert parse("(( (grab x) ))") is None  # graft leaves a parenthesised call alone as is


def test_or_inside_bare_expressions_is_or_else() -> None:
    (_, right) = args("(( a && (b || c) ))")
    assert right == BinOp("||", ref("b"), ref("c"))


def test_or_in_parentheses_inside_arguments_is_or_else() -> None:
    assert args("(( concat (a || b) ))") == (BinOp("||", ref("a"), ref("b")),)


# -- precedence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "shape"),
    [
        ("a / b + c * d", "((a / b) + (c * d))"),
        ("100 - 20 - 10", "((100 - 20) - 10)"),
        ("100 / 5 / 2", "((100 / 5) / 2)"),
        ("2 + 3 > 4", "((2 + 3) > 4)"),
        ("5 > 3 && 2 < 4", "((5 > 3) && (2 < 4))"),
        ("a == b != c", "((a == b) != c)"),
        ("a < b == c > d", "((a < b) == (c > d))"),
        ("true || false && false", "(true || (false && false))"),
        ("!a && b", "((!a) && b)"),
        ("!a == b", "((!a) == b)"),
        ("- a * b", "((-a) * b)"),
        ("a || b ? c : d", "((a || b) ? c : d)"),
        ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
        ("a ? b ? c : d : e", "(a ? (b ? c : d) : e)"),
        ("(2 + 3) * 4", "((2 + 3) * 4)"),
        ("2 * (rectangle.length + rectangle.width)", "(2 * (rectangle.length + rectangle.width))"),
        ("a % b * c", "((a % b) * c)"),
        ("10 - -5", "(10 - -5)"),
    ],
)
def test_precedence(src: str, shape: str) -> None:
    call = parse(f"(( {src} ))")
    assert call is not None
    from graftpy.expr import as_node

    assert _shape(as_node(call)) == shape


def _shape(n: object) -> str:
    if isinstance(n, BinOp):
        return f"({_shape(n.left)} {n.op} {_shape(n.right)})"
    if isinstance(n, UnaryOp):
        return f"({n.op}{_shape(n.operand)})"
    if isinstance(n, Ternary):
        return f"({_shape(n.cond)} ? {_shape(n.then)} : {_shape(n.otherwise)})"
    if isinstance(n, Literal):
        return "true" if n.value is True else "false" if n.value is False else str(n.value)
    if isinstance(n, Reference):
        return n.text
    raise AssertionError(n)


# -- unknown operators (DIVERGENCES row 14) ------------------------------------------------


def test_unknown_operator_with_arguments_keeps_the_call_shape() -> None:
    assert parse('(( notanop "stuff" ))') == Call(
        "notanop", (lit("stuff"),), '(( notanop "stuff" ))'
    )
    call = parse("(( len (keys environments) ))")
    assert call is not None and call.name == "len"
    assert call.args == (Call("keys", (ref("environments"),), "(keys environments)"),)


def test_unknown_function_style_call() -> None:
    call = parse("(( min(a, b) ))")
    assert call == Call("min", (ref("a"), ref("b")), "(( min(a, b) ))")


def test_unknown_nested_call() -> None:
    (arg,) = args("(( concat (frob x) ))")
    assert arg == Call("frob", (ref("x"),), "(frob x)")


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "problem", "position"),
    [
        ("(( ))", "empty expression", 3),
        ("(( a + ))", "unexpected end of expression", 7),
        ("(( (a + b ))", "missing closing parenthesis", 3),
        ("(( a ? b ))", "expected ':' for ternary operator", 9),
        ("(( grab a || ))", "unexpected end of expression", 13),
        ("(( || a ))", "unexpected operator '||'", 3),
        ("(( 1 2 ))", "unexpected token '2' after expression", 5),
        ("(( grab a[[b] ))", "unexpected '['", 10),
        ("(( grab a] ))", "unexpected ']'", 9),
        ("(( grab : ))", "unexpected token ':' after expression", 8),
        ("(( concat a : ))", "unexpected token ':'", 12),
        ("(( static_ips(1 ))", "unexpected end of expression", 16),
        # graft ends a nested call of an infix expression without minding quotes
        ('(( (calc "meta.port + 1") >= "x" ))', "missing closing parenthesis", 3),
        ('(( x == (concat "a" " || " "(b") ))', "missing closing parenthesis", 8),
        ('(( x == (concat "a" "(b") ))', "missing closing parenthesis", 8),
    ],
)
def test_syntax_errors_say_where(src: str, problem: str, position: int) -> None:
    with pytest.raises(ExprSyntaxError) as exc:
        parse(src)
    assert exc.value.problem == problem
    assert exc.value.position == position
    assert exc.value.message == f"syntax error: {problem} at position {position} in `{src}`"


def test_quoted_operators_in_the_arguments_of_a_call_are_text() -> None:
    """Only an infix expression's nested calls are cut short by them (graft)."""
    (arg,) = args('(( concat (concat "b" " + " "(") ))')
    assert arg == Call("concat", (lit("b"), lit(" + "), lit("(")), '(concat "b" " + " "(")')
    call = parse('(( (calc "1+1") >= (concat "a x b" "c") ))')
    assert call is not None and call.name == ">="
    call = parse('(( ! (calc "min(a, 2)") ))')  # the quoted parentheses balance
    assert call is not None and call.name == "!"


@pytest.mark.parametrize("group", ["(x)", "( null )", "(calc)", "(my-key )"])
def test_a_lone_name_in_parentheses_is_the_text(group: str) -> None:
    """graft reads ``(x)`` in an expression as the string ``(x)``, not as x."""
    assert args(f"(( {group} || 3 ))")[0] == lit(group)
    assert args("(( (x.y) || 3 ))")[0] == ref("x.y")


def test_a_lone_operator_name_in_parentheses_among_arguments_is_a_call() -> None:
    assert args("(( concat (x) ( y ) 3 ))")[:2] == (lit("(x)"), lit("( y )"))
    assert args("(( concat (calc) 3 ))")[0] == Call("calc", (), "(calc)")


@pytest.mark.parametrize("src", ["(( (! null) || 007 ))", "(( (!null) || 3 ))", "(( !Nil || 7 ))"])
def test_a_keyword_read_as_a_reference_leaves_later_literals_alone(src: str) -> None:
    """A node made after the keyword's own literal was dropped could reuse its id."""
    left, right = args(src)
    assert isinstance(left, UnaryOp) and isinstance(left.operand, Reference)
    assert isinstance(right, Literal) and right.value in (3, 7)


def test_positions_of_nodes() -> None:
    call = parse('(( concat  "x" meta.y ))')
    assert call is not None
    assert [a.pos for a in call.args] == [11, 15]


@pytest.mark.parametrize("word", ["null", "Null", "NULL", "Nil", "NIL", "True", "TRUE", "False"])
def test_argument_keywords_are_references_as_operands(word: str) -> None:
    # graft knows only nil, ~, true and false as operands of infix, ! and ?: operators
    assert parse(f"(( ! {word} ))") == Call("!", (ref(word),), f"(( ! {word} ))")
    assert args(f"(( 1 == {word} ))")[1] == ref(word)
    assert args(f'(( concat "x" {word} ))')[1] == lit({"T": True, "F": False}.get(word[0]))


@pytest.mark.parametrize("word", ["nil", "~", "true", "false"])
def test_operand_keywords(word: str) -> None:
    (operand,) = args(f"(( ! {word} ))")
    assert operand == lit({"nil": None, "~": None, "true": True, "false": False}[word])


def test_null_before_an_infix_operator_is_a_call_of_null() -> None:
    # graft: the operator null with two arguments, which it refuses
    call = parse("(( null - (concat a b) ))")
    assert call is not None and call.name == "null" and len(call.args) == 2
    assert parse("(( null || 1 ))") == Call("||", (ref("null"), lit(1)), "(( null || 1 ))")


@pytest.mark.parametrize(
    ("src", "tree"),
    [
        ("3 -1", BinOp("-", lit(3), lit(1))),
        ("a -b", BinOp("-", ref("a"), ref("b"))),
        ('"a" -1', BinOp("-", lit("a"), lit(1))),
        ("a -1 -1", BinOp("-", BinOp("-", ref("a"), lit(1)), lit(1))),
        ("2 * 3 -1", BinOp("-", BinOp("*", lit(2), lit(3)), lit(1))),
    ],
)
def test_a_glued_minus_after_an_operand_subtracts(src: str, tree: object) -> None:
    # graft reads "3 -1" as 3 minus 1; "-1" stays a number where an operand starts
    call = parse(f"(( {src} ))")
    assert call is not None and as_node(call) == tree


def test_a_glued_minus_in_arguments_is_a_word() -> None:
    assert args('(( concat "a" -1 ))') == (lit("a"), lit(-1))
    assert args('(( concat "a" -b ))') == (lit("a"), ref("-b"))
