"""Tokens of the ``(( ... ))`` language.

The rules follow spruce's argument splitter, extended for graft's infix
operators:

* whitespace separates tokens; ``(``, ``)`` and ``,`` are tokens of their own;
* ``"..."`` is a string; ``\\n``, ``\\r``, ``\\t`` are escapes and a backslash
  before any other character keeps that character (also outside quotes);
* ``||``, ``&&``, ``==``, ``!=``, ``<=``, ``>=``, ``<`` and ``>`` are operators
  wherever they appear, ``!`` at the start of a word is the unary not;
* ``+ - * / % ? :`` are operators only when they stand alone (DIVERGENCES.md
  row 5: ``my-key`` and ``scripts/a.sh`` are single words, ``-5`` a number);
* a word starting with ``[`` or ``{`` runs to its matching bracket, spaces
  and commas included (graft reads ``[1, 2]`` as one literal operand).
"""

from __future__ import annotations

from graftpy.expr.errors import ExprSyntaxError

WORD = "word"
STRING = "string"
GROUP = "group"
OP = "op"
LPAREN = "("
RPAREN = ")"
COMMA = ","
EOF = "eof"

SPACE = frozenset(" \t\n\r\f\v")
STOP = SPACE | frozenset('"(),')
STANDALONE_OPS = frozenset(
    {"+", "-", "*", "/", "%", "?", ":", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!"}
)
# operators that split a word wherever they occur, longest first
EMBEDDED_OPS = ("||", "&&", "==", "!=", "<=", ">=", "<", ">")
ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
CLOSERS = {"[": "]", "{": "}"}


class Token:
    __slots__ = ("kind", "value", "pos", "end", "space")

    def __init__(self, kind: str, value: str, pos: int, end: int, space: bool) -> None:
        self.kind = kind
        self.value = value
        self.pos = pos  # offset of the first character in the source
        self.end = end  # offset just past the token
        self.space = space  # whitespace (or the start) right before it

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.value!r}, {self.pos})"


def tokenize(src: str, start: int, stop: int) -> list[Token]:
    """Tokens of ``src[start:stop]``; positions are offsets into ``src``."""
    tokens: list[Token] = []
    i = start
    space = True
    while i < stop:
        c = src[i]
        if c in SPACE:
            space = True
            i += 1
            continue
        if c == '"':
            value, end = _string(src, i, stop)
            tokens.append(Token(STRING, value, i, end, space))
        elif c == "!" and src[i + 1 : i + 2] != "=":
            end = i + 1  # prefix not: !x, !(...), !"x", ![...]
            tokens.append(Token(OP, "!", i, end, space))
        elif c in "(),":
            end = i + 1
            tokens.append(Token(c, c, i, end, space))
        elif c in CLOSERS:
            end = _group(src, i, stop)
            tokens.append(Token(GROUP, src[i:end], i, end, space))
        else:
            end = _word(src, i, stop, tokens, space)
        space = False
        i = end
    tokens.append(Token(EOF, "", stop, stop, True))
    return tokens


def _string(src: str, i: int, stop: int) -> tuple[str, int]:
    out: list[str] = []
    j = i + 1
    while j < stop:
        c = src[j]
        if c == "\\" and j + 1 < stop:
            nxt = src[j + 1]
            out.append(ESCAPES.get(nxt, nxt))
            j += 2
            continue
        if c == '"':
            return "".join(out), j + 1
        out.append(c)
        j += 1
    raise ExprSyntaxError("unterminated quoted string", i, src)


def _group(src: str, i: int, stop: int) -> int:
    """End offset of the bracketed group opening at ``i``."""
    stack: list[str] = []
    j = i
    while j < stop:
        c = src[j]
        if c == '"':
            _, j = _string(src, j, stop)
            continue
        if c in CLOSERS:
            stack.append(CLOSERS[c])
        elif c in "]}":
            if not stack or stack.pop() != c:
                raise ExprSyntaxError(f"unexpected '{c}'", j, src)
            if not stack:
                return j + 1
        j += 1
    raise ExprSyntaxError(f"unclosed '{src[i]}'", i, src)


def _word(src: str, i: int, stop: int, tokens: list[Token], space: bool) -> int:
    """Scan one whitespace-delimited run, append its tokens, return its end."""
    j = i
    chars: list[str] | None = None  # only built when the run holds escapes
    while j < stop and src[j] not in STOP:
        if src[j] == "\\" and j + 1 < stop:
            if chars is None:
                chars = list(src[i:j])
            chars.append(ESCAPES.get(src[j + 1], src[j + 1]))
            j += 2
            continue
        if chars is not None:
            chars.append(src[j])
        j += 1
    if chars is not None:  # escaped runs are always one word
        tokens.append(Token(WORD, "".join(chars), i, j, space))
        return j
    _split_run(src[i:j], i, tokens, space)
    return j


def _split_run(run: str, pos: int, tokens: list[Token], space: bool) -> None:
    while run:
        if run in STANDALONE_OPS:
            tokens.append(Token(OP, run, pos, pos + len(run), space))
            return
        if run[0] == "!" and not run.startswith("!="):
            tokens.append(Token(OP, "!", pos, pos + 1, space))
            run, pos, space = run[1:], pos + 1, False
            continue
        at, sym = _first_embedded(run)
        if sym is None:
            tokens.append(Token(WORD, run, pos, pos + len(run), space))
            return
        if at:
            tokens.append(Token(WORD, run[:at], pos, pos + at, space))
            space = False
        tokens.append(Token(OP, sym, pos + at, pos + at + len(sym), space))
        cut = at + len(sym)
        run, pos, space = run[cut:], pos + cut, False


def _first_embedded(run: str) -> tuple[int, str | None]:
    best, sym = len(run), None
    for op in EMBEDDED_OPS:
        k = run.find(op)
        if k != -1 and (k < best or (k == best and sym is not None and len(op) > len(sym))):
            best, sym = k, op
    return best, sym
