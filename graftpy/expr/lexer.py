"""Tokens of the ``(( ... ))`` language.

The rules follow graft's argument splitter, extended for its infix operators:

* whitespace separates tokens; ``(``, ``)`` and ``,`` are tokens of their own,
  except inside quotes;
* a quote (``"`` or ``'``) opens a quoted section wherever it stands and the same
  quote closes it (the other kind is an ordinary character inside). A token that
  starts and ends with the same quote is a string literal: ``"a b"``, ``'a'``,
  ``''``; inner quotes stay as written (graft reads ``'it''s'`` as ``it''s``). Any
  other token holding quotes is a plain word (``"a"b`` is a reference, as in
  graft); a quote left open runs to the end;
* inside a string literal ``\\\\``, ``\\n``, ``\\t``, ``\\r``, ``\\"`` and ``\\'``
  are escapes, and a backslash before any other character stays: ``"\\.tar"`` is
  ``\\.tar``. ``\\"`` does not end a double-quoted section (DIVERGENCES row 15:
  graft ends the argument there); a single-quoted one ends at the next ``'``, as
  in graft. Outside quotes a backslash is an ordinary character;
* ``||``, ``&&``, ``==``, ``!=``, ``<=``, ``>=``, ``<`` and ``>`` are operators
  wherever they appear outside quotes, ``!`` at the start of a word is the
  unary not;
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
STOP = SPACE | frozenset("(),")
QUOTES = frozenset("\"'")
STANDALONE_OPS = frozenset(
    {"+", "-", "*", "/", "%", "?", ":", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!"}
)
# operators that split a word wherever they occur, longest first
EMBEDDED_OPS = ("||", "&&", "==", "!=", "<=", ">=", "<", ">")
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
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
    text_stop = stop  # where the text ends: a quote left open runs up to here
    while text_stop > start and src[text_stop - 1] in SPACE:
        text_stop -= 1
    while i < stop:
        c = src[i]
        if c in SPACE:
            space = True
            i += 1
            continue
        if c == "!" and src[i + 1 : i + 2] != "=":
            end = i + 1  # prefix not: !x, !(...), !"x", ![...]
            tokens.append(Token(OP, "!", i, end, space))
        elif c in "(),":
            end = i + 1
            tokens.append(Token(c, c, i, end, space))
        elif c in CLOSERS:
            end = _group(src, i, stop)
            tokens.append(Token(GROUP, src[i:end], i, end, space))
        else:
            end = run_end(src, i, text_stop)
            _split_run(src[i:end], i, tokens, space)
        space = False
        i = end
    tokens.append(Token(EOF, "", stop, stop, True))
    return tokens


def run_end(src: str, i: int, stop: int) -> int:
    """End of the run from ``i``: the first whitespace, ``(``, ``)`` or ``,`` outside
    quotes, or ``stop``. Only a double-quoted section that starts the run knows ``\\"``."""
    j = i
    while j < stop:
        c = src[j]
        if c in STOP:
            return j
        j = quoted_end(src, j, stop, escapes=j == i) if c in QUOTES else j + 1
    return j


def quoted_end(src: str, i: int, stop: int, escapes: bool = True) -> int:
    """Offset just past the quoted section opening at ``i`` (``stop`` when unclosed).

    With ``escapes``, ``\\"`` does not close a double-quoted section."""
    quote = src[i]
    escapes = escapes and quote == '"'
    j = i + 1
    while j < stop:
        c = src[j]
        if c == quote:
            return j + 1
        j += 2 if c == "\\" and escapes else 1
    return stop


def string_value(body: str) -> str:
    """The text of a string literal's inside, its escapes decoded."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "\\" and i + 1 < n:
            nxt = body[i + 1]
            decoded = ESCAPES.get(nxt)
            out.append(c + nxt if decoded is None else decoded)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _group(src: str, i: int, stop: int) -> int:
    """End offset of the bracketed group opening at ``i``."""
    stack: list[str] = []
    j = i
    while j < stop:
        c = src[j]
        if c in QUOTES:
            j = quoted_end(src, j, stop)
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
            tokens.append(_piece(run, pos, space))
            return
        if at:
            tokens.append(_piece(run[:at], pos, space))
            space = False
        tokens.append(Token(OP, sym, pos + at, pos + at + len(sym), space))
        cut = at + len(sym)
        run, pos, space = run[cut:], pos + cut, False


def _piece(text: str, pos: int, space: bool) -> Token:
    """A string literal when ``text`` starts and ends with the same quote, else a word."""
    if len(text) >= 2 and text[0] in QUOTES and text[-1] == text[0]:
        return Token(STRING, string_value(text[1:-1]), pos, pos + len(text), space)
    return Token(WORD, text, pos, pos + len(text), space)


def _first_embedded(run: str) -> tuple[int, str | None]:
    """The first of ``EMBEDDED_OPS`` outside quotes (the longest one at a tie)."""
    n = len(run)
    k = 0
    while k < n:
        if run[k] in QUOTES:
            k = quoted_end(run, k, n)
            continue
        end = k + 1
        while end < n and run[end] not in QUOTES:
            end += 1
        best, sym = end, None
        for op in EMBEDDED_OPS:
            at = run.find(op, k, end)
            if at != -1 and (at < best or (at == best and sym is not None and len(op) > len(sym))):
                best, sym = at, op
        if sym is not None:
            return best, sym
        k = end
    return n, None
