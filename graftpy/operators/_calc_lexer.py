"""Tokens of a ``(( calc ))`` expression, as govaluate (v3) reads them.

graft hands the calc string to the Go library govaluate; its error texts reach
the user, so the lexer and the token-sequence check follow govaluate's rules:
numbers are read up to the next non ``0-9.`` character, identifiers may hold
``_`` and ``.``, symbols are read greedily (``*-`` is one, invalid token), and
each token kind may only follow certain others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container
from typing import Any

from graftpy.errors import GraftError
from graftpy.gofmt import sprint
from graftpy.lazy_regex import LazyPattern

PREFIX, NUMERIC, BOOLEAN, STRING, VARIABLE = "PREFIX", "NUMERIC", "BOOLEAN", "STRING", "VARIABLE"
FUNCTION, SEPARATOR, ACCESSOR = "FUNCTION", "SEPARATOR", "ACCESSOR"
COMPARATOR, LOGICALOP, MODIFIER = "COMPARATOR", "LOGICALOP", "MODIFIER"
CLAUSE, CLAUSE_CLOSE, TERNARY, UNKNOWN = "CLAUSE", "CLAUSE_CLOSE", "TERNARY", "UNKNOWN"

PREFIX_SYMBOLS = ("-", "!", "~")
MODIFIER_SYMBOLS = ("+", "-", "*", "/", "%", "**", "&", "|", "^", ">>", "<<")
LOGICAL_SYMBOLS = ("&&", "||")
COMPARATOR_SYMBOLS = ("==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in")
TERNARY_SYMBOLS = ("?", ":", "??")

_VALUES = (NUMERIC, BOOLEAN, VARIABLE, FUNCTION, ACCESSOR, STRING, CLAUSE)
_AFTER_VALUE = (MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, TERNARY, SEPARATOR)
# kind -> (may end the expression, kinds allowed next)
_STATES: dict[str, tuple[bool, tuple[str, ...]]] = {
    UNKNOWN: (False, (PREFIX, *_VALUES)),
    CLAUSE: (False, (PREFIX, *_VALUES, CLAUSE_CLOSE)),
    CLAUSE_CLOSE: (
        True,
        (
            COMPARATOR,
            MODIFIER,
            NUMERIC,
            BOOLEAN,
            VARIABLE,
            STRING,
            CLAUSE,
            CLAUSE_CLOSE,
            LOGICALOP,
            TERNARY,
            SEPARATOR,
        ),
    ),
    NUMERIC: (True, _AFTER_VALUE),
    BOOLEAN: (True, _AFTER_VALUE),
    STRING: (True, _AFTER_VALUE),
    VARIABLE: (True, _AFTER_VALUE),
    MODIFIER: (
        False,
        (PREFIX, NUMERIC, VARIABLE, FUNCTION, ACCESSOR, STRING, BOOLEAN, CLAUSE, CLAUSE_CLOSE),
    ),
    COMPARATOR: (False, (PREFIX, *_VALUES, CLAUSE_CLOSE)),
    LOGICALOP: (False, (PREFIX, *_VALUES, CLAUSE_CLOSE)),
    PREFIX: (False, (NUMERIC, BOOLEAN, VARIABLE, FUNCTION, ACCESSOR, CLAUSE, CLAUSE_CLOSE)),
    TERNARY: (False, (PREFIX, *_VALUES, SEPARATOR)),
    FUNCTION: (False, (CLAUSE,)),
    ACCESSOR: (True, (CLAUSE, MODIFIER, COMPARATOR, LOGICALOP, CLAUSE_CLOSE, TERNARY, SEPARATOR)),
    SEPARATOR: (False, (PREFIX, *_VALUES)),
}

_DECIMAL = LazyPattern(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)\Z")

Token = tuple[str, Any]


class CalcError(GraftError):
    """A calc expression govaluate would refuse."""


_GO_SPACE = " \t\n\v\f\r"
# ASCII-only text without backslashes takes a regex fast path with the same classes
# (the slow tokenizer's: compiled when an expression first needs it, graftpy.lazy_regex)
_RUN_NUMERIC = LazyPattern(r"[0-9.]*")
_RUN_NAME = LazyPattern(r"[A-Za-z0-9_.]*")
_RUN_SYMBOL = LazyPattern(r"[^0-9A-Za-z()\[\]'\" \t\n\v\f\r]*")
_RUN_STRING = LazyPattern(r"[^'\"]*")
_RUN_BRACKET = LazyPattern(r"[^\]]*")


def _is_space(c: str) -> bool:
    """Go's unicode.IsSpace."""
    return c in _GO_SPACE or (c > "\x7f" and c.isspace())


def _is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"  # Go's unicode.IsDigit


def _is_numeric(c: str) -> bool:
    return _is_digit(c) or c == "."


def _is_name(c: str) -> bool:
    return c.isalpha() or _is_digit(c) or c in "_."


def _is_quote(c: str) -> bool:
    return c in "'\""


def _is_symbol(c: str) -> bool:
    return not (_is_digit(c) or c.isalpha() or c in "()[]" or _is_quote(c))  # nor a space


class _Stream:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.fast = text.isascii() and "\\" not in text

    def more(self) -> bool:
        return self.pos < len(self.text)

    def read(self) -> str:
        c = self.text[self.pos]
        self.pos += 1
        return c

    def read_while(
        self,
        keep: Callable[[str], bool],
        run: re.Pattern[str] | LazyPattern,
        *,
        spaces: bool,
        break_on_space: bool,
    ) -> tuple[str, bool]:
        """govaluate's readUntilFalse: the text read and whether a terminator was met.

        ``run`` matches what ``keep`` accepts (plus, with ``spaces``, whitespace)
        in ASCII text; it is used when the text allows.
        """
        if self.fast:
            end = run.match(self.text, self.pos).end()  # type: ignore[union-attr]
            out = self.text[self.pos : end]
            self.pos = end
            if end == len(self.text):
                return out, False
            if break_on_space and out and self.text[end] in _GO_SPACE:
                self.pos += 1
            return out, True
        return self._read_slowly(keep, spaces=spaces, break_on_space=break_on_space)

    def _read_slowly(
        self, keep: Callable[[str], bool], *, spaces: bool, break_on_space: bool
    ) -> tuple[str, bool]:
        out: list[str] = []
        while self.more():
            c = self.read()
            if c == "\\":  # a backslash escapes any character
                if self.more():
                    out.append(self.read())
                continue
            if _is_space(c):
                if break_on_space and out:
                    return "".join(out), True
                if not spaces:
                    continue
            if keep(c):
                out.append(c)
            else:
                self.pos -= 1
                return "".join(out), True
        return "".join(out), False


_FAST_TOKEN = re.compile(
    r"[ \t\n\v\f\r]*(?:(?P<num>[0-9.]+)|(?P<name>[A-Za-z][A-Za-z0-9_.]*)|(?P<sep>,)"
    r"|(?P<open>\()|(?P<close>\))|['\"](?P<str>[^'\"]*)['\"]|\[(?P<var>[^\]]*)\]"
    r"|(?P<sym>[^0-9A-Za-z()\[\]'\" \t\n\v\f\r]+))"
)


def _fast_tokens(text: str, functions: Container[str]) -> list[Token] | None:
    """Tokens of plain ASCII text in one regex pass; None to take the slow path."""
    tokens: list[Token] = []
    state = UNKNOWN
    pos, end = 0, len(text)
    while pos < end:
        m = _FAST_TOKEN.match(text, pos)
        if m is None:
            if text[pos:].strip(_GO_SPACE):
                return None  # an error case: let the slow path word it
            break
        pos = m.end()
        group = m.lastgroup
        value = m.group(group)  # type: ignore[arg-type]
        if group == "num":
            if not _DECIMAL.match(value):
                return None
            token: Token = (NUMERIC, float(value))
        elif group == "name":
            token = _word_token(value, functions)
        elif group == "sym":
            token = _symbol_token(value, state)
        else:
            token = _SIMPLE[group](value)  # type: ignore[index]
        tokens.append(token)
        state = token[0]
    return tokens


_SIMPLE: dict[str, Callable[[str], Token]] = {
    "sep": lambda v: (SEPARATOR, ","),
    "open": lambda v: (CLAUSE, "("),
    "close": lambda v: (CLAUSE_CLOSE, ")"),
    "str": lambda v: (STRING, v),
    "var": lambda v: (VARIABLE, v),
}


def tokenize(text: str, functions: Container[str]) -> list[Token]:
    """The tokens of ``text``; raises CalcError with govaluate's message."""
    tokens = _fast_tokens(text, functions) if text.isascii() and "\\" not in text else None
    if tokens is None:
        tokens = _slow_tokens(text, functions)
    _check_balance(tokens)
    _check_syntax(tokens)
    return tokens


def _slow_tokens(text: str, functions: Container[str]) -> list[Token]:
    stream = _Stream(text)
    tokens: list[Token] = []
    state = UNKNOWN
    while stream.more():
        c = stream.read()
        if _is_space(c):
            continue
        token = _read_token(stream, c, state, functions)
        tokens.append(token)
        state = token[0]
    return tokens


def _read_token(stream: _Stream, c: str, state: str, functions: Container[str]) -> Token:
    if _is_numeric(c):
        stream.pos -= 1
        text, _ = stream.read_while(_is_numeric, _RUN_NUMERIC, spaces=False, break_on_space=True)
        if not _DECIMAL.match(text):
            raise CalcError(f"Unable to parse numeric value '{text}' to float64\n")
        return NUMERIC, float(text)
    if c == ",":
        return SEPARATOR, ","
    if c == "[":
        name, done = stream.read_while(
            lambda x: x != "]", _RUN_BRACKET, spaces=True, break_on_space=False
        )
        if not done:
            raise CalcError("Unclosed parameter bracket")
        stream.pos += 1
        return VARIABLE, name
    if c.isalpha():
        stream.pos -= 1
        name, _ = stream.read_while(_is_name, _RUN_NAME, spaces=False, break_on_space=True)
        return _word_token(name, functions)
    if _is_quote(c):
        value, done = stream.read_while(
            lambda x: not _is_quote(x), _RUN_STRING, spaces=True, break_on_space=False
        )
        if not done:
            raise CalcError("Unclosed string literal")
        stream.pos += 1
        return STRING, value  # govaluate would also try to read it as a date
    if c == "(":
        return CLAUSE, "("
    if c == ")":
        return CLAUSE_CLOSE, ")"
    stream.pos -= 1
    symbol, _ = stream.read_while(_is_symbol, _RUN_SYMBOL, spaces=False, break_on_space=True)
    return _symbol_token(symbol, state)


def _symbol_token(symbol: str, state: str) -> Token:
    if PREFIX in _STATES[state][1] and symbol in PREFIX_SYMBOLS:
        return PREFIX, symbol
    for kind, symbols in (
        (MODIFIER, MODIFIER_SYMBOLS),
        (LOGICALOP, LOGICAL_SYMBOLS),
        (COMPARATOR, COMPARATOR_SYMBOLS),
        (TERNARY, TERNARY_SYMBOLS),
    ):
        if symbol in symbols:
            return kind, symbol
    raise CalcError(f"Invalid token: '{symbol}'")


def _word_token(name: str, functions: Container[str]) -> Token:
    kind, value = VARIABLE, name
    if name in ("true", "false"):
        kind, value = BOOLEAN, name == "true"
    if name in ("in", "IN"):
        kind, value = COMPARATOR, "in"
    if name in functions:
        kind, value = FUNCTION, name
    if name.find(".") > 0:
        if name.endswith("."):
            raise CalcError(f"Hanging accessor on token '{name}'")
        parts = name.split(".")
        for part in parts[1:]:
            if part[:1] != part[:1].upper():
                raise CalcError(f"Unable to access unexported field '{part}' in token '{name}'")
        kind, value = ACCESSOR, name
    return kind, value


def _check_balance(tokens: list[Token]) -> None:
    depth = sum(1 if k == CLAUSE else -1 if k == CLAUSE_CLOSE else 0 for k, _ in tokens)
    if depth != 0:
        raise CalcError("Unbalanced parenthesis")


def _shown(token: Token) -> str:
    kind, value = token
    if kind in (CLAUSE, CLAUSE_CLOSE):
        return str(ord(value))  # govaluate stores parentheses as runes
    return sprint(value)


def _check_syntax(tokens: list[Token]) -> None:
    state = UNKNOWN
    last: Token = (UNKNOWN, None)
    for token in tokens:
        if token[0] not in _STATES[state][1]:
            if last[0] == VARIABLE and token[0] == CLAUSE:
                raise CalcError(f"Undefined function {last[1]}")
            raise CalcError(
                f"Cannot transition token types from {state} [{_shown(last)}] "
                f"to {token[0]} [{_shown(token)}]"
            )
        state = token[0]
        last = token
    if not _STATES[state][0]:
        raise CalcError("Unexpected end of expression")
