"""Whole runs: the files of a folder, the command line, the environment and stdin.

``examples()`` is the strategy the fuzzer draws from. A run merges a base
document with up to three overlays (one may come from stdin), perhaps go-patch
files (listed last: DIVERGENCES row 3 is about patches before other files), data
files for ``file`` and ``load``, and the flags ``--prune``, ``--cherry-pick``,
``--skip-eval``, ``--fallback-append``, ``--go-patch`` and ``-m``. Some runs
carry a deliberate error of the input itself (a YAML syntax error, a duplicate
key, a list at the root, a missing file), some use the secret operators, and
some run ``json`` instead of ``merge``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

from ..example import Example
from ..yamltext import Map, Scalar, Seq, quote, render
from .documents import Doc, base_document, overlay_document
from .gopatch import patch_file
from .odds import chance
from .scope import Scope
from .secrets import secret_value

ENV_POOL = {
    "FOO": "bar",
    "NUM": "42",
    "EMPTY": "",
    "SPACED": "a b",
    "YAMLISH": "{a: 1}",
    "MULTI": "line1\nline2",
    "BOOLISH": "true",
    "FLOATY": "1.5",
    "LIST": "[1, 2]",
    "NULLISH": "~",
    "QUOTED": '"q"',
}
TEXT_FILES = {
    "data.txt": [
        "plain text\n",
        "no newline",
        "",
        "héllo\nwörld\n",
        "key: value\n",
        "  indented\n\ttab\n",
        "(( grab meta.a ))\n",
    ],
    "other.yml": [
        "x: 1\ny: [a, b]\n",
        "list:\n- name: one\n",
        "just a string\n",
        "[1, 2, 3]\n",
        "k: (( grab meta.a ))\n",
        "bad: [\n",
        "",
    ],
}
# what the features below mean for a run: DIVERGENCES rows built in on purpose
FEATURE_ROWS = {"row13": 13, "row15": 15, "row18": 18, "nospace-arrayop": 1}


@dataclass(frozen=True)
class Options:
    """Which parts of the language the generator uses (all by default).

    ``without`` names features to leave out, e.g. while a known finding is open:
    ``yn-bool`` (YAML 1.1 words), ``number-string``, ``single-quote-expr``,
    ``unknown-escape``, ``row15``, ``row18``, ``concat-null``,
    ``stringify-scalar``, ``file-two-args``, ``secrets``, ``gopatch``.
    """

    without: frozenset[str] = field(default_factory=frozenset)
    secrets: tuple[str, ...] = ("none", "redact")  # add "vault" when a server runs

    def allows(self, features: set[str] | frozenset[str]) -> bool:
        return not (set(features) & self.without)


@st.composite
def examples(draw: st.DrawFn, options: Options = Options()) -> Example:  # noqa: B008
    example = draw(_example(options))
    if not options.allows(example.features):
        from hypothesis import reject

        reject()
    return example


@st.composite
def _example(draw: st.DrawFn, options: Options) -> Example:
    features: set[str] = set()
    rows: set[int] = set()
    files: list[tuple[str, str]] = []
    env: dict[str, str] = {}
    dialect = "yn-bool" not in options.without
    scope = Scope(errors=draw(st.booleans()))
    scope.env = {
        k: ENV_POOL[k]
        for k in draw(st.lists(st.sampled_from(sorted(ENV_POOL)), max_size=4, unique=True))
    }
    env.update(scope.env)
    for name, contents in TEXT_FILES.items():
        if chance(draw, 3):
            files.append((name, draw(st.sampled_from(contents))))
            scope.files.append(name)
            if name.endswith(".yml"):
                scope.yaml_files.append(name)
    if scope.files and chance(draw, 4):
        env["GRAFT_FILE_BASE_PATH"] = draw(st.sampled_from(["{cwd}", ".", "{cwd}/nowhere"]))
        features.add("file-base-path")

    base = draw(base_document(scope, dialect))
    setting = draw(st.sampled_from(options.secrets)) if chance(draw, 7) else None
    if setting is not None:
        _add_secrets(draw, base, scope, setting, env, rows)
    docs: list[tuple[str, Doc]] = [("base.yml", base)]
    for i in range(draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3]))):
        docs.append((f"over{i + 1}.yml", draw(overlay_document(scope, base.root, dialect))))
    for _, doc in docs:
        features |= doc.features
        rows |= doc.rows
    texts = [(name, render(doc.root)) for name, doc in docs]

    args: list[str] = ["merge"]
    if chance(draw, 10):  # the same text in another wrapper
        texts[0] = (texts[0][0], _reshape(draw, texts[0][1], features))
    patches: list[tuple[str, str]] = []
    if chance(draw, 8):
        for i in range(draw(st.integers(1, 2))):
            seq, f = draw(patch_file(scope))
            patches.append((f"patch{i + 1}.yml", render(seq)))
            features |= f
        if not chance(draw, 6):
            args.append("--go-patch")
            features.add("flag-go-patch")
    args += draw(_flags(features))
    stdin = None
    names = [name for name, _ in texts]
    if len(texts) > 1 and chance(draw, 7):
        stdin = texts[-1][1]
        names[-1] = "-"
        texts = texts[:-1]
        features.add("stdin")
    names += [name for name, _ in patches]
    files += texts + patches
    _deliberate_input_error(draw, files, names, features, rows)
    if chance(draw, 16):
        args = ["json", *names[:1]]
        features.add("cmd-json")
    else:
        args += names
    for feature, row in FEATURE_ROWS.items():
        if feature in features:
            rows.add(row)
    return Example(
        files=tuple(files),
        args=tuple(args),
        env=tuple(sorted(env.items())),
        stdin=stdin,
        rows=frozenset(rows),
        features=frozenset(features),
    )


def _add_secrets(
    draw: st.DrawFn, base: Doc, scope: Scope, setting: str, env: dict[str, str], rows: set[int]
) -> None:
    items = list(base.root.items) if isinstance(base.root, Map) else []
    reaches_store = False
    for i in range(draw(st.integers(1, 3))):
        expr, good = draw(secret_value(scope, setting))
        items.append((f"secret{i + 1}", Scalar(quote(expr.text, "plain"))))
        base.features |= expr.features
        reaches_store |= good
    base.root = Map(tuple(items))
    base.features.add("secrets")
    if setting == "redact":
        env["REDACT"] = draw(st.sampled_from(["yes", "1", "true"]))
        if reaches_store:
            rows.add(8)
    elif setting == "vault":
        env["VAULT_ADDR"] = "{vault_addr}"
        env["VAULT_TOKEN"] = "{vault_token}"
    elif "vault-try-default" in base.features:  # no store: graft falls back on anything
        rows.add(9)


@st.composite
def _flags(draw: st.DrawFn, features: set[str]) -> list[str]:
    flags: list[str] = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
        flag = draw(
            st.sampled_from(
                ["--prune", "--prune", "--cherry-pick", "--skip-eval", "--fallback-append", "-m"]
            )
        )
        features.add(f"flag{flag}")
        if flag in ("--prune", "--cherry-pick"):
            key = draw(
                st.sampled_from(
                    [
                        "meta",
                        "meta",
                        "r1",
                        "r2",
                        "meta.m",
                        "meta.jobs",
                        "meta.l",
                        "nothere",
                        "meta.jobs.web",
                        "meta.l.0",
                        "target",
                        "instance_groups",
                    ]
                )
            )
            flags += [flag, key]
        else:
            flags.append(flag)
    return flags


def _reshape(draw: st.DrawFn, text: str, features: set[str]) -> str:
    """The base file with a document marker, comments, or a second document."""
    form = draw(st.sampled_from(["marker", "comment", "two-docs", "end-marker", "crlf"]))
    features.add(f"reshape-{form}")
    if form == "marker":
        return "---\n" + text
    if form == "comment":
        return "# a comment\n" + text.replace("\n", "  # trailing\n", 1)
    if form == "two-docs":
        return text + "---\nsecond: document\n"
    if form == "end-marker":
        return text + "...\n"
    return text.replace("\n", "\r\n")


def _deliberate_input_error(
    draw: st.DrawFn,
    files: list[tuple[str, str]],
    names: list[str],
    features: set[str],
    rows: set[int],
) -> None:
    """Rarely, break the input itself: graft and graftpy must fail the same way."""
    if not chance(draw, 15):
        return
    kind = draw(
        st.sampled_from(
            [
                "syntax",
                "duplicate",
                "list-root",
                "scalar-root",
                "missing-file",
                "empty",
                "tab-indent",
                "no-files",
            ]
        )
    )
    features.add(f"input-{kind}")
    name, text = files[-1] if files else ("base.yml", "")
    # block keys appended to anything but a block map (a flow "{}", a go-patch list)
    # would be a syntax error instead of a duplicate key
    block = "" if text.lstrip().startswith(("{", "[", "-")) else text
    if kind == "missing-file":
        names.append("does-not-exist.yml")
        return
    if kind == "no-files":
        # (an unknown option is not drawn: graft reads it as a file name, finding F29)
        names.clear()
        return
    broken = {
        "syntax": text + "broken: [unclosed\n",
        "duplicate": block + "dup: 1\ndup: 2\n",
        "list-root": render(Seq((Scalar("a"), Scalar("b")))),
        "scalar-root": "just a scalar\n",
        "empty": draw(st.sampled_from(["", "# only a comment\n", "---\n"])),
        "tab-indent": text + "tabbed:\n\tx: 1\n",
    }[kind]
    rows.add({"syntax": 7, "duplicate": 17, "empty": 6, "tab-indent": 7}.get(kind, 0))
    rows.discard(0)
    files[files.index((name, text))] = (name, broken)
