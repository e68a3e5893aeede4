"""The library API: graftpy.merge / graftpy.dumps and the errors they raise."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import graftpy
from graftpy import GraftError, MultiError


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_merges_paths_yaml_text_and_dicts(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yml", 'meta:\n  env: (( param "env?" ))\nlist: [a]\n')
    data = graftpy.merge(
        str(base),
        {"meta": {"env": "prod"}},
        'list:\n- (( append ))\n- b\nname: (( concat "app-" meta.env ))\n',
        prune=["meta"],
    )
    assert data == {"list": ["a", "b"], "name": "app-prod"}


def test_pathlike_sources_and_one_line_yaml(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yml", "a: 1\n")
    assert graftpy.merge(path, "b: (( grab a ))") == {"a": 1, "b": 1}


def test_returns_plain_data_and_leaves_dict_sources_alone() -> None:
    source = {"a": {"b": [1, 2]}, "c": "(( grab a.b ))"}
    data = graftpy.merge(source)
    assert data == {"a": {"b": [1, 2]}, "c": [1, 2]}
    assert source == {"a": {"b": [1, 2]}, "c": "(( grab a.b ))"}
    assert type(data) is dict and type(data["c"]) is list


def test_can_be_called_again_and_again() -> None:
    # the merging engine's modules load on the first call: calling must keep working
    for i in range(3):
        assert graftpy.merge({"i": i}) == {"i": i}
    assert callable(graftpy.merge)


def test_the_name_stays_the_function_even_when_the_pipeline_loaded_first() -> None:
    code = (
        "from graftpy.pipeline import run_merge\n"
        "import graftpy.merging\n"
        "import graftpy\n"
        "print(graftpy.merge({'a': 1}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "{'a': 1}", out.stderr


def test_options_match_the_command_line(tmp_path: Path) -> None:
    doc = {"keep": {"x": "(( grab other ))"}, "other": 1, "drop": 2}
    assert graftpy.merge(doc, cherry_pick=["keep"]) == {"keep": {"x": 1}}
    assert graftpy.merge(doc, skip_eval=True, prune=["drop"]) == {
        "keep": {"x": "(( grab other ))"},
        "other": 1,
    }
    seq = graftpy.merge(doc)
    for strategy in ("conservative", "aggressive", "adaptive"):
        assert graftpy.merge(doc, strategy=strategy, workers=2, min_ops=0) == seq


def test_env_replaces_the_process_environment_for_one_call() -> None:
    doc = {"v": '(( grab $GRAFTPY_API_TEST || "unset" ))', "s": '(( vault "secret/a:b" ))'}
    assert graftpy.merge(doc, env={"GRAFTPY_API_TEST": "x", "REDACT": "1"}) == {
        "v": "x",
        "s": "REDACTED",
    }
    assert "GRAFTPY_API_TEST" not in os.environ


def test_go_patch_and_multi_doc_text() -> None:
    patch = "- type: replace\n  path: /a\n  value: 2\n"
    assert graftpy.merge({"a": 1}, patch, go_patch=True) == {"a": 2}
    assert graftpy.merge("a: 1\n---\nb: 2\n", multi_doc=True) == {"a": 1, "b": 2}


def test_dumps_is_the_command_lines_output(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.yml", "b: [1, {c: d}]\na: 'yes'\n")
    cli = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", str(doc)], capture_output=True, text=True
    )
    assert graftpy.dumps(graftpy.merge(doc)) + "\n" == cli.stdout
    assert graftpy.dumps({"z": 1, "a": 2}, preserve_order=True) == "z: 1\na: 2\n"


# -- errors -----------------------------------------------------------------------------


def test_evaluation_errors_carry_their_paths() -> None:
    with pytest.raises(MultiError) as err:
        graftpy.merge({"a": "(( grab nope ))", "b": {"c": '(( param "set me" ))'}, "d": 1})
    assert isinstance(err.value, GraftError)
    assert [e.path for e in err.value.errors] == ["b.c"]  # param errors come alone
    assert err.value.errors[0].message == "set me"
    with pytest.raises(MultiError) as err:
        graftpy.merge({"a": "(( grab nope ))", "z": "(( grab nada ))"})
    assert sorted(e.path for e in err.value.errors) == ["a", "z"]
    assert str(err.value).startswith("2 error(s) detected:\n - $.a: Unable to resolve `nope`")


def test_yaml_errors_carry_file_line_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yml", "a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(GraftError) as err:
        graftpy.merge(bad)
    assert err.value.file == str(bad)
    assert err.value.line is not None and err.value.column is not None
    with pytest.raises(GraftError) as err:
        graftpy.merge({"a": 1}, "x: [\n")
    assert err.value.file == "<string 1>" and err.value.line is not None


def test_a_missing_file_is_reported_as_such() -> None:
    with pytest.raises(GraftError) as err:
        graftpy.merge("does-not-exist.yml")
    assert str(err.value) == (
        "Error reading file does-not-exist.yml: open does-not-exist.yml: no such file or directory"
    )


def test_yaml_that_is_not_a_map_names_the_source() -> None:
    with pytest.raises(GraftError) as err:
        graftpy.merge("- a\n- b\n")
    assert err.value.file == "<string 0>"
    assert "Root of YAML document is not a hash/map" in str(err.value)


def test_wrong_source_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="cannot merge a int"):
        graftpy.merge(42)  # type: ignore[arg-type]


# -- typing --------------------------------------------------------------------------


def test_public_functions_are_typed_and_the_package_says_so() -> None:
    import graftpy.api as api

    for func in (api.merge, api.dumps):
        sig = inspect.signature(func)
        assert sig.return_annotation != inspect.Signature.empty
        for name, param in sig.parameters.items():
            assert param.annotation != inspect.Parameter.empty, f"{func.__name__}({name})"
    assert (Path(graftpy.__file__).parent / "py.typed").is_file()
    assert {"merge", "dumps", "GraftError", "MultiError"} <= set(graftpy.__all__)


# -- arguments are checked as the command line checks them ---------------------------------


def test_a_single_path_string_prunes_that_path_not_its_letters() -> None:
    doc = {"meta": {"a": 1}, "m": 1, "e": 2, "x": "(( grab meta.a ))"}
    assert graftpy.merge(doc, prune="meta") == {"m": 1, "e": 2, "x": 1}
    assert graftpy.merge(doc, cherry_pick="x") == {"x": 1}
    assert graftpy.merge(doc, prune=("meta", "m")) == {"e": 2, "x": 1}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"strategy": "fast"},
            "graftpy.merge(strategy='fast'): strategy must be one of 'conservative', "
            "'aggressive', 'adaptive'",
        ),
        ({"workers": -1}, "graftpy.merge(workers=-1): workers must be a whole number, 0 or more"),
        ({"workers": "8"}, "graftpy.merge(workers='8'): workers must be a whole number, 0 or more"),
        (
            {"workers": True},
            "graftpy.merge(workers=True): workers must be a whole number, 0 or more",
        ),
        ({"min_ops": 2.5}, "graftpy.merge(min_ops=2.5): min_ops must be a whole number, 0 or more"),
        (
            {"prune": 3},
            "graftpy.merge(prune=3): prune must be a path such as 'meta' or a list of paths",
        ),
        (
            {"cherry_pick": ["a", None]},
            "graftpy.merge(cherry_pick=['a', None]): cherry_pick must be a path such as 'meta' "
            "or a list of paths",
        ),
        (
            {"parallel": "yes"},
            "graftpy.merge(parallel='yes'): parallel must be True or False (or None)",
        ),
        ({"skip_eval": 1}, "graftpy.merge(skip_eval=1): skip_eval must be True or False"),
        ({"targets": 42}, "graftpy.merge(targets=42): targets must be a file path"),
    ],
)
def test_bad_arguments_are_refused_with_what_the_cli_would_say(arguments, message) -> None:
    with pytest.raises(GraftError) as caught:
        graftpy.merge({"a": 1}, **arguments)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)  # what Python code expects of a bad argument
    assert caught.value.exit_code == 1  # a usage error, as on the command line


def test_a_bad_environment_is_refused_without_showing_its_values() -> None:
    with pytest.raises(ValueError) as caught:
        graftpy.merge({"a": 1}, env={"VAULT_TOKEN": "s.hunter2", "PORT": 8080})
    assert str(caught.value) == (
        "graftpy.merge(env={...<int at 'PORT'>...}): env must be a mapping of variable names "
        "to strings"
    )
    assert "hunter2" not in str(caught.value)


def test_good_arguments_of_every_kind_are_accepted() -> None:
    out = graftpy.merge(
        {"a": 1, "b": "(( grab a ))"},
        strategy="adaptive",
        workers=0,
        min_ops=0,
        parallel=True,
        skip_eval=False,
        env={"X": "1"},
    )
    assert out == {"a": 1, "b": 1}
