"""graftpy fan: one source merged into every target document."""

from __future__ import annotations

import pytest

from graftpy.errors import GraftError
from graftpy.fan import MISSING_SOURCE, MISSING_TARGET, fan_files, fan_trees, split_documents
from graftpy.pipeline import MergeOptions


def test_split_documents_like_graft():
    assert split_documents("---\na: 1\n---\nb: 2\n") == ["---\na: 1", "b: 2\n"]
    assert split_documents("\n---\na: 1") == ["a: 1"]
    assert split_documents("a: 1\n") == ["a: 1\n"]


@pytest.fixture
def files(tmp_path):
    (tmp_path / "source.yml").write_text("meta:\n  v: grabbed\n")
    (tmp_path / "t1.yml").write_text(
        "---\nd1: (( grab meta.v ))\n---\nd2: (( grab meta.v ))\nother: x\n"
    )
    (tmp_path / "t2.yml").write_text("d3: plain\n")
    return tmp_path


def test_each_target_document_gets_the_source(files):
    out = fan_files(
        [str(files / "source.yml"), str(files / "t1.yml"), str(files / "t2.yml")],
        MergeOptions(prune=["meta"]),
        stdin_piped=False,
    )
    assert out == "---\nd1: grabbed\n\n---\nd2: grabbed\nother: x\n\n---\nd3: plain\n\n"


def test_multi_doc_source_supplies_targets_first(files):
    (files / "multi.yml").write_text("meta:\n  v: m\n---\nsdoc: (( grab meta.v ))\n")
    out = fan_files(
        [str(files / "multi.yml"), str(files / "t2.yml")],
        MergeOptions(multi_doc=True),
        stdin_piped=False,
    )
    assert out == "---\nmeta:\n  v: m\nsdoc: m\n\n---\nd3: plain\nmeta:\n  v: m\n\n"


def test_no_files_is_an_error():
    with pytest.raises(GraftError) as info:
        fan_files([], stdin_piped=False)
    assert info.value.render() == MISSING_SOURCE + "\n"


def test_no_targets_is_an_error(files):
    with pytest.raises(GraftError) as info:
        fan_files([str(files / "source.yml")], stdin_piped=False)
    assert info.value.render() == MISSING_TARGET + "\n"


def test_missing_source_fails_before_targets_are_read(files):
    missing = str(files / "nope.yml")
    with pytest.raises(GraftError) as info:
        fan_files([missing, str(files / "also-missing.yml")], stdin_piped=False)
    assert (
        info.value.render()
        == f"Error reading file {missing}: open {missing}: no such file or directory\n"
    )


def test_bad_target_document_is_named_with_its_index(files):
    (files / "bad.yml").write_text("---\n:asdf\n")
    with pytest.raises(GraftError) as info:
        fan_files([str(files / "source.yml"), str(files / "bad.yml")], stdin_piped=False)
    assert info.value.render().startswith(
        f"{files / 'bad.yml'}[0]: Root of YAML document is not a hash/map"
    )


def test_every_merge_sees_a_fresh_source():
    seen = []

    def merge(docs, options):
        seen.append([name for name, _ in docs])
        source, target = docs[0][1], docs[1][1]
        source["touched"] = True  # must not leak into the next merge
        return {**source, **target}

    trees = fan_trees(
        ("s", "a: 1\n"), [("t[0]", "b: 2\n"), ("t[1]", "c: 3\n")], MergeOptions(), merge
    )
    assert seen == [["s", "t[0]"], ["s", "t[1]"]]
    assert trees == [{"a": 1, "touched": True, "b": 2}, {"a": 1, "touched": True, "c": 3}]
