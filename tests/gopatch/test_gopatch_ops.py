"""go-patch operation files: paths, operations and graft's error texts."""

from __future__ import annotations

import pytest

from graftpy import gopatch
from graftpy.gopatch import GoPatchError
from graftpy.gopatch.pointer import PointerError, parse


def base():
    return {
        "key": 1,
        "key2": {"nested": {"super_nested": 2}, "other": 3},
        "array": [4, 5, 6],
        "items": [{"name": "item7"}, {"name": "item8"}, {"name": "item9"}],
    }


def patch(tree, *ops):
    return gopatch.apply(tree, list(ops), "ops.yml")


def failure(tree, *ops) -> str:
    with pytest.raises(GoPatchError) as info:
        patch(tree, *ops)
    return info.value.render()


def test_is_gopatch_means_a_list_root():
    assert gopatch.is_gopatch([{"type": "remove", "path": "/a"}])
    assert not gopatch.is_gopatch({"a": 1})


def test_replace_key_index_and_nested():
    out = patch(
        base(),
        {"type": "replace", "path": "/key", "value": 10},
        {"type": "replace", "path": "/array/0", "value": 10},
        {"type": "replace", "path": "/key2/nested/super_nested", "value": 10},
    )
    assert (
        out["key"] == 10
        and out["array"] == [10, 5, 6]
        and out["key2"]["nested"]["super_nested"] == 10
    )


def test_optional_paths_create_what_is_missing():
    out = patch(
        base(),
        {"type": "replace", "path": "/new_key?", "value": 10},
        {"type": "replace", "path": "/key2/nested?/another/deep", "value": 1},
        {"type": "replace", "path": "/lists?/-", "value": "x"},
        {"type": "replace", "path": "/items/name=item10?/size", "value": 5},
    )
    assert out["new_key"] == 10
    assert out["key2"]["nested"]["another"] == {"deep": 1}
    assert out["lists"] == ["x"]
    assert out["items"][-1] == {"name": "item10", "size": 5}


def test_append_and_negative_index():
    out = patch(
        base(),
        {"type": "replace", "path": "/array/-", "value": 7},
        {"type": "replace", "path": "/array/-1", "value": 8},
    )
    assert out["array"] == [4, 5, 6, 8]


def test_matching_index_with_before_after_prev_next():
    out = patch(
        base(),
        {"type": "replace", "path": "/items/name=item8:before", "value": {"name": 7.5}},
        {"type": "replace", "path": "/items/name=item9:after", "value": {"name": 10}},
        {"type": "replace", "path": "/items/name=item8:prev/extra?", "value": True},
        {"type": "replace", "path": "/array/1:next", "value": 60},
    )
    assert out["items"] == [
        {"name": "item7"},
        {"name": 7.5, "extra": True},
        {"name": "item8"},
        {"name": "item9"},
        {"name": 10},
    ]
    assert out["array"] == [4, 5, 60]


def test_matching_index_only_matches_strings():
    tree = {"l": [{"id": 1}, {"id": "1"}]}
    assert patch(tree, {"type": "remove", "path": "/l/id=1"}) == {"l": [{"id": 1}]}


def test_escapes_in_keys():
    tree = {"a/b": {"c~d": 1}}
    assert patch(tree, {"type": "replace", "path": "/a~1b/c~0d", "value": 2}) == {"a/b": {"c~d": 2}}


def test_replace_root_returns_the_value():
    assert patch(base(), {"type": "replace", "path": "", "value": {"only": 1}}) == {"only": 1}


def test_remove_key_index_and_matching_entry():
    out = patch(
        base(),
        {"type": "remove", "path": "/key"},
        {"type": "remove", "path": "/array/0"},
        {"type": "remove", "path": "/items/name=item8"},
        {"type": "remove", "path": "/not_there?"},
    )
    assert (
        "key" not in out
        and out["array"] == [5, 6]
        and out["items"] == [{"name": "item7"}, {"name": "item9"}]
    )


def test_test_operation_passes_or_fails():
    assert patch(base(), {"type": "test", "path": "/key", "value": 1}) == base()
    assert patch(base(), {"type": "test", "path": "/missing", "absent": True}) == base()
    assert failure(base(), {"type": "test", "path": "/key", "value": 1.0}) == (
        "Merge failed: Found value does not match expected value\n"
    )
    assert failure(base(), {"type": "test", "path": "/key", "absent": True}) == (
        "Merge failed: Expected to not find '/key'\n"
    )


def test_missing_key_error_lists_sibling_keys():
    assert failure(base(), {"type": "replace", "path": "/key_not_there", "value": 10}) == (
        "Merge failed: Expected to find a map key 'key_not_there' for path '/key_not_there' "
        "(found map keys: 'array', 'items', 'key', 'key2')\n"
    )


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (
            {"type": "replace", "path": "/array/5", "value": 1},
            "Expected to find array index '5' but found array of length '3' for path '/array/5'",
        ),
        (
            {"type": "replace", "path": "/key/x", "value": 1},
            "Expected to find a map at path '/key/x' but found 'int'",
        ),
        (
            {"type": "replace", "path": "/key2/0", "value": 1},
            "Expected to find an array at path '/key2/0' but found 'map[interface {}]interface {}'",
        ),
        (
            {"type": "replace", "path": "/items/name=nope", "value": 1},
            "Expected to find exactly one matching array item for path '/items/name=nope' but found 0",
        ),
        (
            {"type": "replace", "path": "/array/-/x", "value": 1},
            "Expected to find a map at path '/array/-' but found '[]interface {}'",
        ),
        ({"type": "remove", "path": ""}, "Cannot remove entire document"),
        (
            {"type": "remove", "path": "/array/-"},
            "Expected to not find token 'patch.AfterLastIndexToken' at path '/array/-'",
        ),
        (
            {"type": "replace", "path": "/x", "value": 1, "error": "custom"},
            "Error 'custom': Expected to find a map key 'x' for path '/x' (found map keys: 'array', 'items', 'key', 'key2')",
        ),
    ],
)
def test_operation_errors(op, message):
    assert failure(base(), op) == f"Merge failed: {message}\n"


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (
            {"type": "nope", "path": "/a"},
            'Unknown operation [0] with type \'nope\' within\n{\n  "Type": "nope",\n  "Path": "/a"\n}',
        ),
        (
            {"type": "replace", "path": "/a"},
            'Replace operation [0]: Missing value within\n{\n  "Type": "replace",\n  "Path": "/a"\n}',
        ),
        (
            {"type": "remove", "value": 1},
            'Remove operation [0]: Missing path within\n{\n  "Type": "remove",\n  "Value": "<redacted>"\n}',
        ),
        (
            {"type": "test", "path": "/a"},
            'Test operation [0]: Missing value or absent within\n{\n  "Type": "test",\n  "Path": "/a"\n}',
        ),
        (
            {"type": "remove", "path": "a"},
            'Remove operation [0]: Invalid path: Expected to start with \'/\' within\n{\n  "Type": "remove",\n  "Path": "a"\n}',
        ),
    ],
)
def test_definition_errors_name_the_file(op, message):
    # graft prints its colour markup "@R{" unrendered before this message
    assert failure(base(), op) == f"ops.yml: @R{{Unable to parse go-patch definitions: {message}\n\n\n"


def test_entries_that_are_not_maps_report_their_lines(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("- this\n- isn't\n- a very long gopatch entry\n")
    with pytest.raises(GoPatchError) as info:
        gopatch.apply({}, ["this", "isn't", "a very long gopatch entry"], str(path))
    assert info.value.render() == (
        f"{path}: Root of YAML document is not a hash/map. Tried parsing it as go-patch, but got: "
        "yaml: unmarshal errors:\n"
        "  line 1: cannot unmarshal !!str `this` into patch.OpDefinition\n"
        "  line 2: cannot unmarshal !!str `isn't` into patch.OpDefinition\n"
        "  line 3: cannot unmarshal !!str `a very ...` into patch.OpDefinition\n\n\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "/a:bogus",
            "Expected to find one of the following modifiers: 'prev', 'next', 'before', or 'after' but found 'bogus'",
        ),
        ("/-:after", "Expected not to find any modifiers with after last index token"),
        ("/key:prev", "Expected not to find any modifiers with key token"),
    ],
)
def test_pointer_errors(text, message):
    with pytest.raises(PointerError, match=message):
        parse(text)


def test_pointer_round_trip():
    for text in ("/a/0/-", "/a?/b/c", "/l/name=x:before", "/a~1b/k~0", "/x=y?/z"):
        assert str(parse(text)) == text
