"""Cases from graft's own test suite, loaded through our YAML loader.

Inputs and expected results are those of the conformance corpus (graft's
``assets/``); only cases without evaluation operators are used here.
"""

from __future__ import annotations

import textwrap

import pytest

from graftpy import postprocess, yamlio
from graftpy.merging import Merger


def load(text: str) -> dict:
    (doc,) = yamlio.load_documents(textwrap.dedent(text), "test.yml")
    return doc or {}


def run(*texts: str, prune: tuple = (), pick: tuple = (), **kw: object) -> tuple[Merger, dict]:
    m = Merger(**kw)  # type: ignore[arg-type]
    for i, text in enumerate(texts):
        m.merge(load(text), f"f{i}.yml")
    tree = m.tree
    postprocess.prune(tree, [tuple(p.split(".")) for p in prune] + m.prune_paths)
    postprocess.sort_lists(tree, m.sort_paths)
    if pick:
        tree = postprocess.cherry_pick(tree, [tuple(p.split(".")) for p in pick])
    return m, tree


FIRST = """\
    key: value
    array_append:
    - one
    - two
    array_prepend:
    - four
    - five
    array_inline:
    - name: first_elem
      val: initial
    - second_elem_is_scalar
    array_default:
    - first
    - second
    - third
    array_replace:
    - a
    - b
    - c
    array_map_default:
    - name: AAA
      k1:   key 1
      k2:   key 2
    - name: BBB
      k3:   original
    map:
      key: value
    """

SECOND = """\
    key: overridden
    array_append:
    - (( append ))
    - three
    array_prepend:
    - (( prepend ))
    - three
    array_inline:
    - (( inline ))
    - val: overwritten
    - second_elem was overwritten
    - third elem is appended
    array_replace:
    - (( replace ))
    - [1,2,3]
    array_default:
    - FIRST
    - SECOND
    array_map_default:
    - name: BBB
      k2:   final
    - name: AAA
      k2:   updated
    map:
      key2: val2
    """


def test_main_017_merged_yaml() -> None:
    m, tree = run(FIRST, SECOND)
    assert m.errors() == [] and m.warnings == []
    assert tree == load(
        """\
        array_append: [one, two, three]
        array_default: [FIRST, SECOND, third]
        array_inline:
        - name: first_elem
          val: overwritten
        - second_elem was overwritten
        - third elem is appended
        array_map_default:
        - {k1: key 1, k2: updated, name: AAA}
        - {k2: final, k3: original, name: BBB}
        array_prepend: [three, four, five]
        array_replace: [[1, 2, 3]]
        key: overridden
        map: {key: value, key2: val2}
        """
    )


def test_main_009_bad_merge_by_key() -> None:
    m, _ = run(FIRST, "array_inline:\n- (( merge ))\n- string\n")
    assert [e.render() for e in m.errors()] == [
        "1 error(s) detected:\n - $.array_inline.0: new object is a string, not a map - "
        "cannot merge by key\n\n\n"
    ]


@pytest.mark.parametrize("value", ["{ subkey1: yes, subkey2: no }", "[ subkey1, subkey2 ]"])
def test_main_115_116_identifier_with_a_hash_or_sequence_warns(value: str) -> None:
    m, tree = run(f"---\narray-of-maps:\n- name: {value}\n")
    assert m.warnings == [
        "warning: $.array-of-maps.0: new object's key 'name' cannot have a value which is a "
        "hash or sequence - cannot merge by key",
        "warning: Falling back to inline merge strategy",
    ]
    assert m.errors() == []


@pytest.mark.parametrize(
    ("op", "key"), [("(( merge ))", "name"), ("(( merge on mergekey ))", "mergekey")]
)
def test_main_117_118_explicit_merge_with_a_hash_identifier_fails(op: str, key: str) -> None:
    m, _ = run(f"array-of-maps:\n- {op}\n- {key}: {{ subkey1: yes, subkey2: no }}\n")
    assert [e.render() for e in m.errors()] == [
        f"1 error(s) detected:\n - $.array-of-maps.0: new object's key '{key}' cannot have a "
        "value which is a hash or sequence - cannot merge by key\n\n\n"
    ]


def test_main_050_052_prune_in_lists() -> None:
    file_a = "---\nmeta:\n  list:\n  - one\n  - two\n  - three\n"
    _, dynamic = run(file_a, "---\nmeta:\n  list:\n  - one\n  - (( prune ))\n")
    _, static = run(file_a, prune=("meta.list.1",))
    assert dynamic == static == {"meta": {"list": ["one", "three"]}}


def test_main_131_default_array_merge_key() -> None:
    # the pipeline passes $DEFAULT_ARRAY_MERGE_KEY from the run's environment snapshot
    _, tree = run(
        "array:\n- id: first\n  value: 123\n- id: second\n  value: 321\n",
        "array:\n- id: third\n  value: true\n- id: second\n  value: 987\n",
        array_merge_key="id",
    )
    assert tree == load(
        "array:\n- {id: first, value: 123}\n- {id: second, value: 987}\n- {id: third, value: true}\n"
    )


def test_main_082_sort_operator() -> None:
    _, tree = run(
        "int_list: [1, 9, 2, 8]\nfloat_list: [1.42, 9.42, 2.42]\n"
        "key_list:\n- key: item-i\n- key: item-1\n",
        "int_list: (( sort ))\nfloat_list: (( sort ))\nkey_list: (( sort by key ))\n",
    )
    assert tree == load(
        "int_list: [1, 2, 8, 9]\nfloat_list: [1.42, 2.42, 9.42]\nkey_list:\n- key: item-1\n- key: item-i\n"
    )


CHERRY_A = """\
    meta:
      some:
        deep:
          structure:
            maplist:
              keyA: valueA
    releases:
    - name: vb
    properties:
      vb:
        id: 74a03820
        flags: auth,block,read-only
    """
CHERRY_B = """\
    meta:
      some:
        deep:
          structure:
            maplist:
              keyB: valueB
            ignoreme: foobar
    releases:
    - name: hahn
    properties:
      hahn:
        id: b503e54a
        flags: open
    """


def test_main_089_090_cherry_picks() -> None:
    _, tree = run(
        CHERRY_A,
        CHERRY_B,
        prune=("properties.vb.flags",),
        pick=("properties", "releases.vb", "meta.some.deep.structure.maplist"),
    )
    assert tree == load(
        """\
        meta: {some: {deep: {structure: {maplist: {keyA: valueA, keyB: valueB}}}}}
        properties:
          hahn: {flags: open, id: b503e54a}
          vb: {id: 74a03820}
        releases:
        - name: vb
        """
    )


def test_main_091_cherry_pick_of_a_pruned_path() -> None:
    with pytest.raises(postprocess.CherryPickError) as err:
        run(CHERRY_A, CHERRY_B, prune=("releases",), pick=("releases.vb",))
    assert err.value.render() == (
        "Merge failed: validation_error: key not found: releases.vb (missing segment 'releases')\n"
    )
