from __future__ import annotations


def test_sort_marker_without_a_list_is_kept_verbatim(merge):
    out = merge(
        """
        orphan: (( sort ))
        by_key: (( sort by name ))
        name: not-a-dependency
        """
    )
    assert out == {
        "orphan": "(( sort ))",
        "by_key": "(( sort by name ))",
        "name": "not-a-dependency",
    }


def test_marker_in_entries_of_the_same_name(merge):
    out = merge(
        """
        list:
        - {name: a, x: 1}
        - {name: a, v: (( sort by k ))}
        """
    )
    assert out["list"] == [{"name": "a", "x": 1}, {"name": "a", "v": "(( sort by k ))"}]
