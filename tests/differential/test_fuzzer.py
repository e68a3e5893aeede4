"""The fuzzer's own parts, without graft: its YAML text, its classifier, runner and reducer."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .divergences import classify
from .example import Example
from .oracle import run_graftpy
from .reduce import reduce
from .strategies.runs import Options, examples
from .yamltext import Block, Map, Scalar, Seq, quote, render

# derandomized, no example database: the same examples on every run and machine, so
# these self-tests cannot pass on one run and fail on the next
STEADY = dict(derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
SOME = settings(max_examples=60, **STEADY)


@SOME
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20),
    st.sampled_from(["plain", "single", "double"]),
)
def test_quote_reads_back_as_the_same_string(text: str, style: str) -> None:
    assert yaml.safe_load(f"k: {quote(text, style)}\n")["k"] == text


def test_render_writes_block_flow_and_block_scalars() -> None:
    tree = Map(
        (
            ("a", Scalar("1")),
            ("l", Seq((Map((("name", Scalar("web")), ("port", Scalar("80")))), Scalar("x")))),
            ("f", Seq((Scalar("1"), Scalar("'two'")), flow=True)),
            ("b", Block("|-", ("one", "", "two"))),
            ("e", Map(())),
        )
    )
    assert yaml.safe_load(render(tree)) == {
        "a": 1,
        "l": [{"name": "web", "port": 80}, "x"],
        "f": [1, "two"],
        "b": "one\n\ntwo",
        "e": {},
    }


@settings(max_examples=80, **STEADY)
@given(examples(Options()))
def test_generated_files_are_yaml_unless_broken_on_purpose(example: Example) -> None:
    broken = {"input-syntax", "input-tab-indent"} & example.features
    for name, text in example.files:
        if name in example.args and not broken and "reshape-crlf" not in example.features:
            list(yaml.safe_load_all(text))  # raises on a renderer bug
    assert example.args[0] in ("merge", "json")


def _merge(*files: str, flags: tuple[str, ...] = ()) -> Example:
    named = tuple((f"f{i}.yml", text) for i, text in enumerate(files))
    return Example(files=named, args=("merge", *flags, *(n for n, _ in named)))


def test_classifier_sees_graft_replacing_a_list_of_scalars() -> None:
    # no list of maps and no array operator in the overlay: graft replaces the list
    assert 1 in classify(_merge("l: [1, 2, 3]\n", "l: [9]\n"))
    assert 1 in classify(_merge("k: 1\n", "k: ~\n"))  # and deletes a key set to ~
    # the overlay holds a list of maps: graft merges as graftpy does
    assert 1 not in classify(_merge("l: [1, 2, 3]\n", "l: [9]\ng: [{name: a}]\n"))
    # same result either way: not under the row
    assert 1 not in classify(_merge("l: [1]\n", "l: [9]\n"))


def test_classifier_sees_graft_s_simple_engine_replace_maps_of_a_document_with_odd_keys() -> None:
    # a root key that is not a string: graft's simple engine replaces meta wholesale
    assert 1 in classify(_merge("meta: {a: 1}\n1: x\n", "meta: {c: 2}\n"))
    assert 1 in classify(_merge("meta: {a: 1}\n", "meta: {c: 2}\ntrue: y\n"))
    # maps of two documents with string keys only still merge; a nested odd key is fine
    assert 1 not in classify(_merge("meta: {a: 1}\n", "true: y\n", "meta: {c: 2}\n"))
    assert 1 not in classify(_merge("meta: {a: 1, 1: x}\n", "meta: {c: 2}\n"))


def test_classifier_sees_array_operators_in_the_first_file_and_under_skip_eval() -> None:
    first = "l:\n- (( append ))\n- 1\n"
    assert 2 in classify(_merge(first, "x: 1\n"))
    assert 2 not in classify(_merge(first))
    assert 4 in classify(_merge("l: [1]\n", first, flags=("--skip-eval",)))
    assert 4 not in classify(_merge("l: [1]\n", first))


def test_classifier_sees_subtree_reads_and_cherry_picks_through_named_lists() -> None:
    assert 12 in classify(_merge("m: {a: (( grab x ))}\nx: 1\ns: (( stringify m ))\n"))
    assert 12 not in classify(_merge("m: {a: 1}\ns: (( stringify m ))\n"))
    named = "jobs: [{name: web, p: 1}]\nx: (( grab jobs.web.p ))\n"
    assert 16 in classify(_merge(named, flags=("--cherry-pick", "x")))
    assert 16 not in classify(_merge(named))


def test_classifier_sees_array_operators_no_array_operator_takes() -> None:
    assert 14 in classify(_merge("l:\n- (( insert after -1 ))\n- x\n"))
    assert 14 not in classify(_merge("l:\n- (( insert after 1 ))\n- x\n"))


def test_classifier_sees_duplicate_keys() -> None:
    assert 17 in classify(_merge("a: 1\na: 2\n"))
    assert 17 in classify(_merge("a: 1\n'1': 2\n1: 3\n"))  # written the same: go-yaml v3
    assert 17 not in classify(_merge("a: 1\n'1': 2\n1.0: 3\ntrue: 4\n"))


def test_forked_graftpy_prints_what_the_script_prints(tmp_path) -> None:
    for example in (
        _merge("a: 1\nb: (( grab a ))\nl: [x, 'y', 3.0]\n"),
        _merge("a: (( grab nope ))\n"),
        Example(files=(), args=("merge", "-"), stdin="from: stdin\n"),
        Example(
            files=(("a.yml", 'e: (( concat $FOO "!" ))\n'),),
            args=("merge", "a.yml"),
            env=(("FOO", "héllo"),),
        ),
    ):
        assert run_graftpy(example, "fork") == run_graftpy(example, "subprocess")


def test_reduce_keeps_only_what_the_failure_needs() -> None:
    example = Example(
        files=(
            ("a.yml", "keep: 1\ndrop:\n  deep: 2\n  deeper: [1, 2]\nother: 3\n"),
            ("b.yml", "x: 1\n"),
        ),
        args=("merge", "--prune", "x", "a.yml", "b.yml"),
        env=(("FOO", "bar"),),
    )
    small = reduce(example, lambda e: "keep: 1" in (e.file("a.yml") or ""))
    assert small.files == (("a.yml", "keep: 1\n"),)
    assert small.args == ("merge", "a.yml")
    assert small.env == ()


def test_proposed_rows_are_recognised_apart() -> None:
    from .divergences import proposed

    assert proposed(_merge("a: (( base64 (1 + 2) ))\n")) == {20}
    assert proposed(_merge('a: (( base64 "x" || "y" ))\n')) == frozenset()
    assert proposed(_merge("a: '(( (x ? 1 : 2) + 1 ))'\n")) == {20}
    assert proposed(_merge("a: '(( concat \"y\" (x ? 1 : 2) ))'\n")) == {20}
    assert proposed(_merge("a: '(( x ? 1 : 2 ))'\n")) == frozenset()
    root_int_key = "meta: {m: {a: 1}}\n1: 2\nt: {i: (( inject meta.m ))}\n"
    assert proposed(_merge(root_int_key)) == {21}
    assert proposed(_merge(root_int_key.replace("1: 2", "'1': 2"))) == frozenset()
    assert proposed(_merge("a: (( 10 + -4 ))\n")) == {22}
    assert proposed(_merge('a: (( concat "x" (1 * -meta.b) ))\n')) == {22}
    assert proposed(_merge("a: (( 3 -1 ))\nb: (( concat -1 x ))\n")) == frozenset()
    assert proposed(_merge("a: (( 1 + ))\n")) == {23}
    assert proposed(_merge("a: (( -meta.b ))\n")) == {22}
    assert proposed(_merge('a: "(( null % -2.5 ))"\n')) == {22}
    assert proposed(_merge('a: "(( null % 2.5 ))"\n')) == frozenset()
    assert proposed(_merge("a: ((-meta.b))\n")) == frozenset()  # a placeholder (row 5)



def test_prunes_graft_ignores_under_an_odd_root_are_left_out_for_the_comparison() -> None:
    from .divergences import without_ignored_prunes

    pruned = "meta: {m: {a: 1}, x: 1}\ntrue: 2\n"
    flags = ("--prune", "meta.m", "--prune", "meta")
    assert without_ignored_prunes(_merge(pruned, flags=flags)).args == (
        "merge", "--prune", "meta", "f0.yml"
    )
    assert without_ignored_prunes(_merge(pruned, flags=("--prune", "meta"))) is None
    assert without_ignored_prunes(_merge("meta: {m: 1}\n", flags=flags)) is None



def test_base64_s_go_type_under_an_odd_root_is_recognised_by_its_form() -> None:
    from .divergences import proposed_by_form
    from .oracle import Outcome

    def err(go_type: str) -> Outcome:
        line = f" - $.b: base64 operator requires a string value, got {go_type}"
        return Outcome(2, b"", f"1 error(s) detected:\n{line}\n\n\n".encode())

    odd = _merge("meta: {m: {a: 1}}\n0x10: 1\nb: (( base64 meta.m ))\n")
    theirs, ours = err("map[string]interface {}"), err("map[interface {}]interface {}")
    assert proposed_by_form(odd, theirs, ours) == {21}
    plain = _merge("meta: {m: {a: 1}}\nb: (( base64 meta.m ))\n")
    assert proposed_by_form(plain, theirs, ours) == set()
    assert proposed_by_form(odd, theirs, Outcome(2, b"", b"other")) == set()


def test_classifier_sees_sort_markers_graft_s_simple_engine_ignores() -> None:
    assert 1 in classify(_merge("a: 1\n", "s: (( sort ))\n", "s: [b, a]\n"))
    assert 1 not in classify(_merge("s: [b, a]\n", "s: (( sort ))\ng: [{name: x}]\n"))
