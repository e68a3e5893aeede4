"""Parsing and evaluating a ``(( calc ))`` expression with govaluate's semantics.

Never Python's ``eval``: the tokens from ``_calc_lexer`` are parsed by
precedence climbing into tuples and walked by ``evaluate``. Precedence, from
loosest to tightest, as govaluate plans it: ``,`` < ``? : ??`` < ``||`` <
``&&`` < comparators < ``& | ^`` < ``<< >>`` < ``+ -`` < ``* / %`` < ``**`` <
prefixes and calls. Every binary level is left-associative. All numbers are
float64; type errors use govaluate's wording.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from graftpy.gofmt import sprint
from graftpy.operators import _calc_lexer as lex
from graftpy.operators._calc_lexer import CalcError, Token

Node = tuple  # ("lit", v) ("var", name) ("group", node) ("call", name, node) ...

_LEVELS: list[tuple[str, tuple[str, ...]]] = [
    (lex.SEPARATOR, (",",)),
    (lex.TERNARY, lex.TERNARY_SYMBOLS),
    (lex.LOGICALOP, ("||",)),
    (lex.LOGICALOP, ("&&",)),
    (lex.COMPARATOR, lex.COMPARATOR_SYMBOLS),
    (lex.MODIFIER, ("&", "|", "^")),
    (lex.MODIFIER, ("<<", ">>")),
    (lex.MODIFIER, ("+", "-")),
    (lex.MODIFIER, ("*", "/", "%")),
    (lex.MODIFIER, ("**",)),
]

_PRECEDENCE: dict[Token, int] = {
    (kind, symbol): n for n, (kind, symbols) in enumerate(_LEVELS) for symbol in symbols
}

_LOGICAL = "Value '{}' cannot be used with the logical operator '{}', it is not a bool"
_MODIFIER = "Value '{}' cannot be used with the modifier '{}', it is not a number"
_COMPARATOR = "Value '{}' cannot be used with the comparator '{}', it is not a number"
_TERNARY = "Value '{}' cannot be used with the ternary operator '{}', it is not a bool"
_PREFIX = "Value '{}' cannot be used with the prefix '{}'"


_END: Token = ("END", None)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [*tokens, _END]
        self.pos = 0

    def level(self, lowest: int) -> Node | None:
        """Precedence climbing over ``_LEVELS``: same level associates to the left."""
        left = self.unary()
        tokens = self.tokens
        while True:
            tok = tokens[self.pos]
            n = _PRECEDENCE.get(tok)
            if n is None or n < lowest:
                return left
            self.pos += 1
            left = ("bin", tok[1], left, self.level(n + 1))

    def unary(self) -> Node | None:
        tok = self.tokens[self.pos]
        if tok[0] == lex.PREFIX:
            self.pos += 1
            return ("prefix", tok[1], self.call())
        return self.call()

    def call(self) -> Node | None:
        kind, val = self.tokens[self.pos]
        if kind == lex.FUNCTION or kind == lex.ACCESSOR:
            self.pos += 1
            args = self.value() if self.tokens[self.pos][0] == lex.CLAUSE else None
            return ("call" if kind == lex.FUNCTION else "access", val, args)
        return self.value()

    def value(self) -> Node | None:
        kind, val = self.tokens[self.pos]
        if kind == lex.CLAUSE_CLOSE or kind == "END":
            return None  # empty operand: govaluate plans nothing here
        self.pos += 1
        if kind == lex.NUMERIC or kind == lex.STRING or kind == lex.BOOLEAN:
            return ("lit", val)
        if kind == lex.CLAUSE:
            inner = self.level(0)
            self.pos += 1  # the balancing ")" (checked by the lexer)
            return ("group", inner)
        if kind == lex.VARIABLE:
            return ("var", val)
        if kind == lex.PREFIX:
            self.pos -= 1
            return self.unary()
        raise CalcError(f"Unable to plan token kind: '{kind}', value: '{sprint(val)}'")


def parse(tokens: list[Token]) -> Node | None:
    return _Parser(tokens).level(0) if tokens else None


# --- values -------------------------------------------------------------


def _num(v: Any) -> bool:
    return isinstance(v, float)


def go_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual for the values an expression can produce."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(go_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def to_int64(f: float) -> int:
    # Go's float64 -> int64 on amd64: out of range (and NaN) gives the minimum
    if math.isfinite(f) and -(2**63) <= f < 2**63:
        return int(f)
    return -(2**63)


def _to_uint64(f: float) -> int:
    if not math.isfinite(f) or not -(2**63) <= f < 2**64:
        return 2**63
    return int(f) & (2**64 - 1)


def _wrap64(n: int) -> int:
    n &= 2**64 - 1
    return n - 2**64 if n >= 2**63 else n


def go_div(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def go_mod(a: float, b: float) -> float:
    try:
        return math.fmod(a, b)
    except ValueError:
        return math.nan


def go_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        odd = b.is_integer() and int(b) % 2 == 1
        return -math.inf if a < 0 and odd else math.inf
    except ValueError:
        if a == 0:  # 0 ** negative
            odd = b.is_integer() and int(b) % 2 == 1
            return math.copysign(math.inf, a) if odd else math.inf
        return math.nan


def _shift(a: float, b: float, left: bool) -> float:
    x, n = _to_uint64(a), _to_uint64(b)
    if n >= 64:
        return 0.0
    return float(((x << n) if left else (x >> n)) & (2**64 - 1))


_ARITH: dict[str, Callable[[float, float], Any]] = {
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": go_div,
    "%": go_mod,
    "**": go_pow,
    "&": lambda a, b: float(_wrap64(to_int64(a) & to_int64(b))),
    "|": lambda a, b: float(_wrap64(to_int64(a) | to_int64(b))),
    "^": lambda a, b: float(_wrap64(to_int64(a) ^ to_int64(b))),
    "<<": lambda a, b: _shift(a, b, True),
    ">>": lambda a, b: _shift(a, b, False),
}

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def _fail(fmt: str, value: Any, symbol: str) -> CalcError:
    return CalcError(fmt.format(sprint(value), symbol))


class Evaluator:
    """Walks a parsed expression; ``functions`` maps names to callables."""

    def __init__(self, functions: dict[str, Callable[..., Any]]) -> None:
        self.functions = functions

    def run(self, node: Node | None) -> Any:
        if node is None:
            return None
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "group":
            return self.run(node[1])
        if kind == "bin":
            return self.binary(node[1], node[2], node[3])
        if kind == "prefix":
            return self.prefix(node[1], self.run(node[2]))
        if kind == "call":
            args = self.run(node[2])
            fn = self.functions[node[1]]
            if args is None:
                return fn()
            return fn(*args) if isinstance(args, list) else fn(args)
        # variables and struct accessors have no parameters to read from
        name = node[1]
        if kind == "access":
            self.run(node[2])
            name = name.split(".")[0]
        raise CalcError(f"No parameter '{name}' found.")

    def prefix(self, symbol: str, right: Any) -> Any:
        if symbol == "!":
            if not isinstance(right, bool):
                raise _fail(_PREFIX, right, symbol)
            return not right
        if not _num(right):
            raise _fail(_PREFIX, right, symbol)
        return -right if symbol == "-" else float(_wrap64(~to_int64(right)))

    def binary(self, symbol: str, lnode: Node | None, rnode: Node | None) -> Any:
        left = self.run(lnode)
        # short circuits happen before the right side and before any type check
        if symbol == "&&" and left is False:
            return False
        if symbol == "||" and left is True:
            return True
        if symbol == "??":
            return left if left is not None else self.run(rnode)
        if symbol == ":":
            return left if left is not None else self.run(rnode)
        if symbol == "?":
            right = None if left is False else self.run(rnode)
            if not isinstance(left, bool):
                raise _fail(_TERNARY, left, symbol)
            return right if left else None
        right = self.run(rnode)
        return self.apply(symbol, left, right)

    def apply(self, symbol: str, left: Any, right: Any) -> Any:
        if symbol == ",":
            return [*left, right] if isinstance(left, list) else [left, right]
        if symbol in ("&&", "||"):
            for v in (left, right):
                if not isinstance(v, bool):
                    raise _fail(_LOGICAL, v, symbol)
            return (left and right) if symbol == "&&" else (left or right)
        if symbol == "==":
            return go_equal(left, right)
        if symbol == "!=":
            return not go_equal(left, right)
        if symbol in _ORDER:
            if not ((_num(left) and _num(right)) or (_is_str(left) and _is_str(right))):
                raise _fail(_COMPARATOR, left, symbol)
            return _ORDER[symbol](left, right)
        if symbol in ("=~", "!~"):
            return self.regex(symbol, left, right)
        if symbol == "in":
            if not isinstance(right, list):
                raise _fail(_COMPARATOR, right, symbol)
            return any(go_equal(left, v) for v in right)
        if symbol == "+":
            if _is_str(left) or _is_str(right):
                return sprint(left) + sprint(right)
            if not (_num(left) and _num(right)):
                raise _fail(_MODIFIER, left, symbol)
            return left + right
        for v in (left, right):
            if not _num(v):
                raise _fail(_MODIFIER, v, symbol)
        return _ARITH[symbol](left, right)

    def regex(self, symbol: str, left: Any, right: Any) -> bool:
        if not _is_str(left):
            raise _fail(_COMPARATOR, left, symbol)
        if not _is_str(right):
            raise _fail(_COMPARATOR, right, symbol)
        try:
            found = re.search(right, left) is not None
        except re.error as exc:
            raise CalcError(f"Unable to compile regexp pattern '{right}': {exc}") from None
        return found if symbol == "=~" else not found


def _is_str(v: Any) -> bool:
    return isinstance(v, str)
