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


def test_two_arguments_name_a_directory_and_a_file(merge, tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "motd.txt").write_text("hi")
    (tmp_path / "top.txt").write_text("top")
    out = merge(
        f"""
        dir: conf
        a: (( file "conf" "motd.txt" ))
        b: (( file dir "motd.txt" ))
        c: (( file "conf/" "./motd.txt" ))
        d: (( file "conf" "../top.txt" ))
        e: (( file "" "top.txt" ))
        f: (( file "{tmp_path / "conf"}" "motd.txt" ))
        g: (( file("conf", "motd.txt") ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path)},
    )
    assert [out[k] for k in "abcdefg"] == ["hi", "hi", "hi", "top", "top", "hi", "hi"]


def test_errors(merge_error, tmp_path):
    lines = merge_error(
        """
        m: {a: 1}
        missing: (( file "nope.txt" ))
        dir: (( file "." ))
        map: (( file m ))
        nil1: (( file ~ ))
        nil2: (( file "a" ~ ))
        absname: (( file "sub" "/etc/hostname" ))
        three: (( file "a" "b" "c" ))
        none: (( file ))
        unresolved: (( file "sub" nope ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path)},
    )
    base = str(tmp_path)
    assert lines == [
        f" - $.absname: open {base}/sub/etc/hostname: no such file or directory",
        f" - $.dir: read {base}: is a directory",
        f" - $.map: open {base}/map[a:1]: no such file or directory",
        f" - $.missing: open {base}/nope.txt: no such file or directory",
        " - $.nil1: file operator argument resolved to nil",
        " - $.nil2: file operator arguments cannot be nil",
        " - $.none: file operator requires one or two string arguments",
        " - $.three: file operator requires one or two string arguments",
        " - $.unresolved: Unable to resolve `nope`: `$.nope` could not be found in the datastructure",
    ]


def test_go_path_rules():
    assert go_join("", "a.yml") == "a.yml"
    assert go_join("../../", "assets/x.yml") == "../../assets/x.yml"
    assert go_join("a/", "./b//c/../d") == "a/b/d"
    assert go_join("", "") == ""
    assert go_clean("/../a") == "/a"
    assert go_clean("") == "."


def test_without_a_base_path_the_name_is_used_as_written(merge, merge_error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.txt").write_text("d")
    assert merge('a: (( file "./data.txt" ))\n')["a"] == "d"
    assert merge_error('a: (( file "nosub/../data.txt" ))\n') == [
        " - $.a: open nosub/../data.txt: no such file or directory"
    ]
    with_base = merge('a: (( file "nosub/../data.txt" ))\n', env={"GRAFT_FILE_BASE_PATH": "."})
    assert with_base["a"] == "d"  # joined with the base path, then cleaned
