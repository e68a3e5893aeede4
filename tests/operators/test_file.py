from __future__ import annotations

from graftpy.operators.file import go_clean, go_join


def test_reads_relative_to_the_base_path(merge, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "motd.txt").write_text("hello\nworld\n")
    out = merge(
        """
        name: motd.txt
        literal: (( file "motd.txt" ))
        ref: (( file name ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path / "conf")},
    )
    assert out["literal"] == out["ref"] == "hello\nworld\n"


def test_absolute_paths_ignore_the_base_path(merge, tmp_path):
    target = tmp_path / "abs.txt"
    target.write_text("x")
    out = merge(f'v: (( file "{target}" ))\n', env={"GRAFT_FILE_BASE_PATH": "/nonexistent"})
    assert out["v"] == "x"


def test_binary_contents_stay_bytes(merge, tmp_path):
    (tmp_path / "blob").write_bytes(b"\xff\xfe")
    out = merge('v: (( file "blob" ))\n', env={"GRAFT_FILE_BASE_PATH": str(tmp_path)})
    assert out["v"] == b"\xff\xfe"


def test_errors(merge_error, tmp_path):
    lines = merge_error(
        """
        m: {a: 1}
        missing: (( file "nope.txt" ))
        dir: (( file "." ))
        map: (( file m ))
        two: (( file "a" "b" ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path)},
    )
    base = str(tmp_path)
    assert lines == [
        f" - $.dir: tried to read file {base}: could not be read - read {base}: is a directory",
        " - $.map: tried to read file map[a:1], which is not a string scalar",
        f" - $.missing: tried to read file {base}/nope.txt: could not be read - "
        f"open {base}/nope.txt: no such file or directory",
        " - $.two: file operator requires exactly one string or reference argument",
    ]


def test_go_path_rules():
    assert go_join("", "a.yml") == "a.yml"
    assert go_join("../../", "assets/x.yml") == "../../assets/x.yml"
    assert go_join("a/", "./b//c/../d") == "a/b/d"
    assert go_join("", "") == ""
    assert go_clean("/../a") == "/a"
    assert go_clean("") == "."
