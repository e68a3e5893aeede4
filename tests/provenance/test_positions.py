"""Lines of loaded values (``graftpy.yamlio.positions``): found by a second read of the
events, under the keys the loader gave, for every shape of YAML."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from graftpy.yamlio.loader import parse_first_document
from graftpy.yamlio.positions import line_table


def load(text: str):
    text = textwrap.dedent(text)
    root = parse_first_document(text, "t.yml")
    return root, line_table(text, root)


def test_map_entries_have_their_keys_line():
    root, lines = load(
        """\
        # a comment
        a: 1
        b:
          c: x
          d:
            e: true
        """
    )
    assert lines.table(root) == {"a": 2, "b": 3}
    assert lines.table(root["b"]) == {"c": 4, "d": 5}
    assert lines.line(root["b"]["d"], "e") == 6
    assert lines.root_line == 2


def test_list_entries_block_and_flow():
    root, lines = load(
        """\
        jobs:
        - name: web
          instances: 2
        - plain
        -
          - nested
        tags: [a, b,
          c]
        """
    )
    assert lines.table(root["jobs"]) == [2, 4, 6]  # a nested list starts at its own "-"
    assert lines.table(root["jobs"][0]) == {"name": 2, "instances": 3}
    assert lines.table(root["jobs"][2]) == [6]
    assert lines.table(root["tags"]) == [7, 7, 8]


def test_keys_resolve_as_the_loader_resolves_them():
    root, lines = load(
        """\
        7: int
        true: bool
        "q": quoted
        ! 2: forced string
        0x10: hex
        ~: null key
        """
    )
    assert lines.table(root) == {7: 1, True: 2, "q": 3, "2": 4, 16: 5, None: 6}


def test_merge_keys_and_aliases():
    root, lines = load(
        """\
        base: &b
          k1: 1
          k2: 2
        m:
          <<: *b
          k2: 9
        copy: *b
        """
    )
    # keys a "<<" brought in get the line of the "<<"
    assert lines.table(root["m"]) == {"k1": 5, "k2": 6}
    # an alias is a copy: it has a line, its insides have none
    assert lines.line(root, "copy") == 7
    assert lines.table(root["copy"]) is None


def test_scalar_and_empty_documents():
    root, lines = load("just text\n")
    assert lines.table(root) is None
    root, lines = load("# nothing\n")
    assert lines.table(root) is None


def test_a_table_is_for_the_containers_it_was_made_for():
    root, lines = load("a: {b: 1}\n")
    assert lines.table({"b": 1}) is None  # an equal map is not the loaded one
    assert lines.line(root, "missing") is None
    assert lines.line(root["a"], "b") == 1


SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["x", "y z", "", "true", "1.5"]))
KEYS = st.sampled_from(["a", "b", "c", "name", "1", "k-2"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=4))
def test_every_entry_has_a_line_that_holds_it(doc):
    """Emitted as graft emits, re-loaded: each entry's line shows its key or its value."""
    from graftpy import yamlio

    text = yamlio.dump_yaml(doc) + "\n"
    root = parse_first_document(text, "t.yml")
    lines = line_table(text, root)
    rows = text.splitlines()

    def check(value):
        table = lines.table(value)
        if isinstance(value, dict):
            assert table is not None and set(table) == set(value)
            for k, v in value.items():
                assert str(k) in rows[table[k] - 1] or k == ""
                check(v)
        elif isinstance(value, list):
            assert table is not None and len(table) == len(value)
            for line, v in zip(table, value, strict=True):
                assert "-" in rows[line - 1] or "[" in rows[line - 1]
                check(v)

    check(root)


def test_multi_document_parts_start_on_their_own_line():
    from graftpy.yamlio.positions import part_first_lines

    assert part_first_lines("a: 1\n---\nb: 2\nc: 3\n---\nd: 4\n") == [1, 3, 6]
    assert part_first_lines(b"\n---\na: 1\n---\nb: 2\n") == [3, 5]  # an empty first part
    root, lines = load("x: 1\n")
    text = "# one\nx: 1\n"
    shifted = line_table(text, root, first_line=10)
    assert shifted.line(root, "x") == 11
