"""Parsing ``(( ... ))`` strings into operator calls.

A string is an expression when, stripped of surrounding whitespace, it starts
with ``((`` and ends with ``))`` and those two enclose the whole string (so
``((a)) ((b))`` is plain text). Then:

* ``(( name args ))`` with ``name`` a registered operator is a ``Call``. The
  arguments are separated by whitespace or commas; each one is a full
  expression (``(( grab a || "x" ))``, ``(( concat "x" (grab y) ))``). A bare
  word in argument position is a reference even when it names an operator
  (``(( cartesian-product ips ":80" ))``), except right after ``(``, which
  opens a nested call (``(grab x)``).
* ``(( name(a, b) ))`` is the same call written function style.
* Anything else is a bare expression. graft turns the operator at its root
  into the call: ``(( a + b ))`` is ``Call("+", (a, b))``, ``(( a ? b : c ))``
  is ``Call("?:", ...)``, ``(( !a ))`` is ``Call("!", ...)`` and
  ``(( a || b ))`` is ``Call("||", ...)`` (graft's or-else). A bare single
  operand (``(( thing ))``, ``(( "x" ))``, ``(( $VAR ))``) is not an operator
  call at all, nor is a parenthesised call alone (``(( (grab x) ))``): graft
  leaves such strings untouched, so we return ``None``.
* ``(( word more args ))`` where ``word`` is not a registered operator is a
  ``Call`` named ``word``; the evaluator reports the unknown operator
  (DIVERGENCES.md row 14).
* With no whitespace inside ``((`` ``))`` and no registered operator call
  (``((db-password))``, ``((/a/b))``, ``((!x))``), the string is a BOSH or
  CredHub placeholder and ``None`` is returned (DIVERGENCES.md row 5).

Precedence, lowest first: ``?:`` (right associative), ``||``, ``&&``,
``== !=``, ``< > <= >=``, ``+ -``, ``* / %``, then the unary ``!`` and ``-``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graftpy.expr import lexer as lx
from graftpy.expr.errors import ExprSyntaxError
from graftpy.expr.lexer import Token
from graftpy.expr.nodes import (
    BinOp,
    Call,
    Literal,
    Node,
    Or,
    Reference,
    Ternary,
    UnaryOp,
)
from graftpy.expr.simple import parse_one_reference, parse_simple
from graftpy.expr.words import ARGUMENT_KEYWORDS, KEYWORDS, word_node
from graftpy.lazy_regex import LazyPattern

CALL_NAME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9_-]*)(?:@([a-zA-Z0-9_-]+))?")
PLACEHOLDER_CALL_RE = LazyPattern(r"([a-zA-Z][a-zA-Z0-9_-]*)(?:@[a-zA-Z0-9_-]+)?(\(.*\))?", re.S)

_SPACE = LazyPattern(r"[ \t\n\r\f\v]")

BINARY_PREC = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}

# an infix operator between spaces, as graft's nested-call scan finds it in a quoted text
_QUOTED_INFIX = LazyPattern(r" (?:\|\||&&|==|!=|<=|>=|<|>|\+|-|\*|/|%) ")

BARE, ARGS = 0, 1  # where ``||`` is graft's or-else, where it is spruce's fallback


def parse_opcall(src: str, is_operator: Callable[[str], bool]) -> Call | None:
    """The call a whole YAML string value stands for, or ``None`` when the
    string is not an operator expression (see the module documentation)."""
    quick = parse_one_reference(src, is_operator)
    if quick is not None:
        return quick
    body = src.strip()
    if len(body) < 4 or not body.startswith("((") or not body.endswith("))"):
        return None
    start = src.index("((") + 2
    stop = start + len(body) - 4
    inner = src[start:stop]
    if ")" in inner and not _encloses(inner):
        return None
    if _SPACE.search(inner) is None:
        m = PLACEHOLDER_CALL_RE.fullmatch(inner)
        if m is None or not is_operator(m.group(1)):
            return None
    simple = parse_simple(src, start, stop, is_operator, body)
    if simple is not None:
        return simple
    return parse_tokens(src, start, stop, is_operator, body)


def parse_tokens(
    src: str, start: int, stop: int, is_operator: Callable[[str], bool], text: str
) -> Call | None:
    """The full parser over ``src[start:stop]`` (``parse_opcall`` without its
    fast path)."""
    return _Parser(src, lx.tokenize(src, start, stop), is_operator, text).top()


def _encloses(inner: str) -> bool:
    """False when a ``)`` outside quotes closes the opening ``((``."""
    depth = 0
    i, n = 0, len(inner)
    while i < n:
        c = inner[i]
        if c in lx.QUOTES:
            i = lx.quoted_end(inner, i, n)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return True


class _Parser:
    def __init__(
        self, src: str, tokens: list[Token], is_operator: Callable[[str], bool], text: str
    ) -> None:
        self.src = src
        self.tokens = tokens
        self.i = 0
        self.is_operator = is_operator
        self.text = text
        # literals read from keywords graft knows only as arguments (null, True...),
        # by id: each held with its node, so that no later node can reuse the id
        self.argument_keywords: dict[int, tuple[Node, Token]] = {}
        self.bare = False  # the whole string is a bare (infix) expression

    # -- helpers -----------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        if t.kind != lx.EOF:
            self.i += 1
        return t

    def error(self, problem: str, tok: Token | None = None) -> ExprSyntaxError:
        return ExprSyntaxError(problem, (tok or self.tok).pos, self.src)

    def unexpected(self, tok: Token | None = None) -> ExprSyntaxError:
        t = tok or self.tok
        if t.kind == lx.EOF:
            return self.error("unexpected end of expression", t)
        return self.error(f"unexpected token '{t.value}'", t)

    def name_of(self, t: Token) -> tuple[str, str | None] | None:
        """``(name, target)`` when the token can name an operator
        (``grab``, ``vault@production``)."""
        if t.kind != lx.WORD:
            return None
        m = CALL_NAME_RE.fullmatch(t.value)
        return (m.group(1), m.group(2)) if m else None

    def known_name(self, t: Token) -> tuple[str, str | None] | None:
        n = self.name_of(t)
        return n if n is not None and self.is_operator(n[0]) else None

    def unknown_name(self, t: Token) -> tuple[str, str | None] | None:
        """A word that can only be read as the name of an unknown operator."""
        n = self.name_of(t)
        if n is None or t.value in KEYWORDS or self.is_operator(n[0]):
            return None
        return n

    @staticmethod
    def glued(t: Token) -> bool:
        """An opening parenthesis right after a name: ``name(...)``."""
        return t.kind == lx.LPAREN and not t.space

    @staticmethod
    def is_infix(t: Token) -> bool:
        return t.kind == lx.OP and (t.value in BINARY_PREC or t.value in "?:")

    @staticmethod
    def starts_operand(t: Token) -> bool:
        if t.kind in (lx.WORD, lx.STRING, lx.GROUP, lx.LPAREN):
            return True
        return t.kind == lx.OP and t.value in ("!", "-")

    # -- top level -----------------------------------------------------------

    def top(self) -> Call | None:
        first = self.tok
        if first.kind == lx.EOF:
            raise self.error("empty expression")
        nxt = self.peek()
        if self.name_of(first) and self.glued(nxt):
            call = self.call_function_style()
            return self.at_end(Call(call.name, call.args, self.text, call.target, call.pos))
        known = self.known_name(first)
        if known and not self.is_infix(nxt):
            self.advance()
            args = self.arguments(lx.EOF)
            return Call(known[0], tuple(args), self.text, known[1], first.pos)
        if known and known[0] == "null" and nxt.value != "||":
            # graft: the operator null with arguments (the infix operator and the rest),
            # which it refuses: more than one
            self.i = len(self.tokens) - 1
            rest = Literal(self.src[nxt.end :].strip(), nxt.end)
            return Call("null", (Literal(nxt.value, nxt.pos), rest), self.text)
        self.bare = True
        node = self.expression(BARE)
        if self.tok.kind == lx.EOF:
            return self.root_call(node)
        unknown = self.unknown_name(first)
        if unknown and self.starts_operand(self.tok):
            # an unknown operator with arguments: the evaluator reports it
            self.i = 1
            args = self.arguments(lx.EOF)
            return Call(unknown[0], tuple(args), self.text, unknown[1], first.pos)
        raise self.error(f"unexpected token '{self.tok.value}' after expression")

    def at_end(self, call: Call) -> Call:
        if self.tok.kind != lx.EOF:
            raise self.error(f"unexpected token '{self.tok.value}' after expression")
        return call

    def root_call(self, node: Node) -> Call | None:
        if isinstance(node, BinOp):
            return Call(node.op, (node.left, node.right), self.text, pos=node.pos)
        if isinstance(node, UnaryOp):
            return Call(node.op, (node.operand,), self.text, pos=node.pos)
        if isinstance(node, Ternary):
            return Call("?:", (node.cond, node.then, node.otherwise), self.text, pos=node.pos)
        return None  # a single operand, a parenthesised call too: (( (grab x) ))

    # -- calls -----------------------------------------------------------------

    def arguments(self, closer: str) -> list[Node]:
        args: list[Node] = []
        while self.tok.kind != closer:
            if self.tok.kind == lx.COMMA:
                self.advance()
                continue
            if self.tok.kind == lx.EOF or not self.starts_operand(self.tok):
                raise self.unexpected()
            args.append(self.expression(ARGS))
        return args

    def call_function_style(self) -> Call:
        head = self.advance()
        name, target = self.name_of(head) or (head.value, None)
        self.advance()  # (
        args = self.arguments(lx.RPAREN)
        end = self.advance().end  # )
        return Call(name, tuple(args), self.src[head.pos : end], target, head.pos)

    def parenthesized(self) -> Node:
        lparen = self.advance()
        head, after = self.tok, self.peek()
        if (
            after.kind == lx.RPAREN
            and head.kind == lx.WORD
            and CALL_NAME_RE.fullmatch(head.value)
            and (self.bare or not self.known_name(head))
        ):
            # graft reads a lone name in parentheses, ``(x)`` or ``( null )``, as the
            # string of the parenthesised text: not a reference, nor (in an infix
            # expression) a call; among the arguments of a call ``(calc)`` is a call
            self.advance()
            end = self.advance().end
            return Literal(self.src[lparen.pos : end], lparen.pos)
        name = None
        known = self.known_name(head)
        if known:
            if not self.is_infix(after):
                name = known
        elif self.starts_operand(after) and not self.is_infix(after) and not self.glued(after):
            name = self.unknown_name(head)  # an unknown operator with arguments
        if name is not None:
            self.advance()
            first = self.i
            args = self.arguments(lx.RPAREN)
            self.check_quoted_operators(first, lparen)
            end = self.advance().end
            text = self.src[lparen.pos : end]
            return Call(name[0], tuple(args), text, name[1], lparen.pos)
        if self.tok.kind == lx.RPAREN:
            raise self.unexpected()
        node = self.expression(BARE)
        if self.tok.kind != lx.RPAREN:
            if self.tok.kind == lx.EOF:
                raise self.error("missing closing parenthesis", lparen)
            raise self.error(f"expected ')', got '{self.tok.value}'")
        self.advance()
        return node

    def check_quoted_operators(self, first: int, lparen: Token) -> None:
        """graft finds the end of a nested call ``(name args)`` in its text without
        minding quotes: quoted arguments leaving a ``(`` open, or holding an infix
        operator between spaces (``(calc "a + 1")``), leave it without its closing
        parenthesis. Only in
        an infix expression: the arguments of ``(( name args ))`` are split minding quotes."""
        if not self.bare:
            return
        opened = 0  # parentheses the quoted texts leave open: min(a, b) leaves none
        for t in self.tokens[first : self.i]:
            if t.kind == lx.STRING:
                raw = self.src[t.pos : t.end]
                opened += raw.count("(") - raw.count(")")
                if _QUOTED_INFIX.search(raw):
                    raise self.error("missing closing parenthesis", lparen)
        if opened > 0:
            raise self.error("missing closing parenthesis", lparen)

    # -- expressions -------------------------------------------------------------

    def expression(self, ctx: int) -> Node:
        cond = self.binary(1, ctx)
        if self.tok.kind == lx.OP and self.tok.value == "?":
            self.advance()
            then = self.expression(ctx)
            if not (self.tok.kind == lx.OP and self.tok.value == ":"):
                raise self.error("expected ':' for ternary operator")
            self.advance()
            otherwise = self.expression(ctx)
            return Ternary(
                self.operand(cond), self.operand(then), self.operand(otherwise), _pos(cond)
            )
        return cond

    def binary(self, min_prec: int, ctx: int) -> Node:
        left = self.unary(ctx)
        while True:
            if ctx == BARE:
                self.split_minus()
            if self.tok.kind != lx.OP:
                break
            prec = BINARY_PREC.get(self.tok.value)
            if prec is None or prec < min_prec:
                break
            op = self.advance().value
            right = self.binary(prec + 1, ctx)
            if op == "||" and ctx == ARGS:
                left = Or(left, right, _pos(left))
            else:
                left = BinOp(op, self.operand(left), self.operand(right), _pos(left))
        return left

    def split_minus(self) -> None:
        """``3 -1`` and ``a -b`` after an operand of a bare expression are a
        subtraction to graft: the word ``-1`` is the operator ``-`` and ``1``."""
        t = self.tok
        if t.kind == lx.WORD and t.value[:1] == "-" and len(t.value) > 1 and t.space:
            rest = lx.tokenize(self.src, t.pos + 1, t.end)[:-1]
            if rest and rest[0].kind in (lx.WORD, lx.STRING):
                self.tokens[self.i : self.i + 1] = [
                    Token(lx.OP, "-", t.pos, t.pos + 1, True),
                    *rest,
                ]

    def unary(self, ctx: int) -> Node:
        t = self.tok
        if t.kind == lx.OP and t.value in ("!", "-"):
            self.advance()
            operand = self.operand(self.unary(ctx))
            if t.value == "-" and isinstance(operand, Literal):
                v = operand.value
                if isinstance(v, int | float) and not isinstance(v, bool):
                    return Literal(-v, t.pos)
            return UnaryOp(t.value, operand, t.pos)
        return self.primary()

    def primary(self) -> Node:
        t = self.tok
        if t.kind == lx.STRING:
            self.advance()
            return Literal(t.value, t.pos)
        if t.kind == lx.GROUP:
            self.advance()
            return Literal(t.value, t.pos)
        if t.kind == lx.LPAREN:
            return self.parenthesized()
        if t.kind == lx.WORD:
            nxt = self.peek()
            if self.name_of(t) and self.glued(nxt):
                return self.call_function_style()
            self.advance()
            return self.word(t)
        if t.kind == lx.OP:
            raise self.error(f"unexpected operator '{t.value}'")
        raise self.unexpected()

    def word(self, t: Token) -> Node:
        node = word_node(t.value, t.pos, self.src)
        if t.value in ARGUMENT_KEYWORDS:
            self.argument_keywords[id(node)] = (node, t)
        return node

    def operand(self, node: Node) -> Node:
        """``node`` as an operand of an infix, ``!`` or ``?:`` operator: there graft
        knows only ``nil``, ``~``, ``true`` and ``false``; ``null``, ``Nil``, ``True``...
        are references (``(( ! null ))`` reads ``$.null``)."""
        held = self.argument_keywords.get(id(node))
        if held is None or held[0] is not node:
            return node
        t = held[1]
        return Reference((t.value,), t.value, t.pos)


def _pos(node: Node) -> int:
    return node.pos
