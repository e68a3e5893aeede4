"""graftpy diff: the report text, exactly as graft prints it."""

from __future__ import annotations

import re
import textwrap

import pytest

from graftpy.diff import DiffError, diff_files


def run(tmp_path, a: str, b: str, **kw):
    (tmp_path / "a.yml").write_text(textwrap.dedent(a))
    (tmp_path / "b.yml").write_text(textwrap.dedent(b))
    return diff_files(str(tmp_path / "a.yml"), str(tmp_path / "b.yml"), **kw)


def test_identical_documents_print_two_newlines_and_do_not_differ(tmp_path):
    assert run(tmp_path, "a: 1\nb: [x]\n", "b: [x]\na: 1\n") == ("\n\n", False)


def test_value_change(tmp_path):
    out, differs = run(tmp_path, "value: original\n", "value: changed\n")
    assert differs
    assert out == "\nvalue\n± value change\n- original\n+ changed\n\n\n"


def test_nested_paths_are_dotted_and_keep_document_order(tmp_path):
    out, _ = run(tmp_path, "z: 1\na: {b: {c: x}}\n", "z: 2\na: {b: {c: y}}\n")
    assert out == "\nz\n± value change\n- 1\n+ 2\n\na.b.c\n± value change\n- x\n+ y\n\n\n"


def test_type_change_prints_both_sides_as_yaml(tmp_path):
    out, _ = run(tmp_path, "thing: {isa: map, and: more}\n", "thing: [a, b]\n")
    assert out == (
        "\nthing\n± type change from map to list\n- isa: map\n  and: more\n+ - a\n  - b\n\n\n"
    )


def test_string_that_looks_like_a_keyword_is_quoted(tmp_path):
    out, _ = run(tmp_path, 'thing: "true"\n', "thing: true\n")
    assert out == '\nthing\n± type change from string to bool\n- "true"\n+ true\n\n\n'


def test_scalars_compare_by_their_text(tmp_path):
    out, differs = run(tmp_path, "a: 1.0\nb: ~\nc: yes\n", "a: 1.00\nb: null\nc: yes\n")
    assert differs
    assert out == "\na\n± value change\n- 1.0\n+ 1.00\n\n\n"


def test_bool_spellings_are_equal(tmp_path):
    assert run(tmp_path, "a: true\n", "a: True\n") == ("\n\n", False)


def test_map_entries_added_and_removed_side_by_side(tmp_path):
    out, _ = run(tmp_path, "keep: 1\nold: 2\n", "keep: 1\nnew: {x: 1}\n")
    assert out == (
        "\n(root level)\n"
        "- one map entry removed:   + one map entry added:\n"
        "old: 2" + " " * 23 + "new:\n" + " " * 31 + "x: 1\n\n\n"
    )


def test_simple_list_additions_and_removals(tmp_path):
    out, _ = run(tmp_path, "items: [first, 2, third]\n", "items: [first, second]\n")
    assert out == (
        "\nitems\n"
        "- two list entries removed:   + one list entry added:\n"
        "- 2                             - second\n"
        "- third\n\n\n"
    )


def test_simple_list_order_change(tmp_path):
    out, _ = run(tmp_path, "items: [a, b, c]\n", "items: [b, c, a]\n")
    assert out == "\nitems\n⇆ order changed\n- a, b, c\n+ b, c, a\n\n\n"


def test_single_entry_lists_compare_their_entries(tmp_path):
    out, _ = run(tmp_path, "l: [a]\n", "l: [b]\n")
    assert out == "\nl.0\n± value change\n- a\n+ b\n\n\n"


def test_keyed_list_changes_use_names_in_paths(tmp_path):
    out, _ = run(
        tmp_path,
        "jobs:\n- name: lb\n  type: ha-proxy\n- name: db\n",
        "jobs:\n- name: web\n  type: www\n- name: lb\n  type: haproxy\n",
    )
    assert out == (
        "\njobs\n"
        "- one list entry removed:   + one list entry added:\n"
        "- name: db                    - name: web\n"
        "                                type: www\n\n"
        "jobs.lb.type\n± value change\n- ha-proxy\n+ haproxy\n\n\n"
    )


def test_keyed_list_order_change_and_addition(tmp_path):
    out, _ = run(
        tmp_path,
        "jobs: [{name: lb}, {name: web}]\n",
        "jobs: [{name: web}, {type: database, name: db}, {name: lb}]\n",
    )
    assert out == (
        "\njobs\n"
        "⇆ order changed   + one list entry added:\n"
        "- lb, web           - name: db\n"
        "+ web, lb             type: database\n\n\n"
    )


def test_multiline_text_shows_changed_lines_only(tmp_path):
    out, _ = run(tmp_path, "k: |\n  same\n  old\n  end\n", "k: |\n  same\n  new\n  end\n  more\n")
    assert out == (
        "\nk\n± value change in multiline text (two inserts, one deletion)\n"
        "- old\n+ new\n+ more\n\n\n\n"
    )


def test_whitespace_only_change(tmp_path):
    out, _ = run(tmp_path, 'w: "a b"\n', 'w: "a b "\n')
    assert out == "\nw\n± whitespace only change\n- a·b   + a·b·\n\n\n"


def test_long_values_fall_back_to_one_block_per_line(tmp_path):
    old, new = "x" * 90, "y" * 90
    out, _ = run(tmp_path, f"long: {old}\n", f"long: {new}\n")
    assert out == f"\nlong\n± value change\n- {old}\n+ {new}\n\n\n\n"


def test_aliases_are_followed(tmp_path):
    out, differs = run(tmp_path, "a: &x {v: 1}\nb: *x\n", "a: {v: 1}\nb: {v: 1}\n")
    assert (out, differs) == ("\n\n", False)


def test_added_entries_put_well_known_keys_first(tmp_path):
    out, _ = run(
        tmp_path, "list: [{name: a}]\n", "list: [{name: a}, {deep: {x: 1}, flat: 2, name: b}]\n"
    )
    assert "  - name: b\n    flat: 2\n    deep:\n      x: 1\n" in out


def test_kubernetes_documents_are_matched_by_name(tmp_path):
    a = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {k: a}\n"
    b = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n"
    out, differs = run(tmp_path, a + "---\n" + b, b + "---\n" + a.replace("k: a", "k: b"))
    assert differs
    assert "\ndata.k  (v1/ConfigMap/one)\n± value change\n- a\n+ b\n" in out
    assert "\n(file level)\n⇆ order changed\n- v1/ConfigMap/one, v1/ConfigMap/two\n" in out


def test_different_document_counts_are_an_error(tmp_path):
    with pytest.raises(DiffError, match="different number of documents"):
        run(tmp_path, "a: 1\n---\nb: 2\n", "a: 1\n")


def test_missing_file_is_an_error(tmp_path):
    (tmp_path / "a.yml").write_text("a: 1\n")
    with pytest.raises(DiffError) as info:
        diff_files(str(tmp_path / "a.yml"), "no-such-file.yml")
    assert info.value.render() == (
        "unable to load data from no-such-file.yml: unable to get any content using location "
        "no-such-file.yml: it is not a file or usable URI\n"
    )


def test_json_and_empty_inputs(tmp_path):
    assert run(tmp_path, '{"a": 1, "b": [1, 2]}', "b: [1, 2]\na: 1\n") == ("\n\n", False)
    assert run(tmp_path, "", "{}\n") == ("\n\n", False)


def test_colour_adds_escapes_without_changing_the_text(tmp_path):
    a, b = "items: [1, 2]\nx: old\n", "items: [1, 3]\nx: new\n"
    plain, _ = run(tmp_path, a, b)
    coloured, _ = run(tmp_path, a, b, color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
