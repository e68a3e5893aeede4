from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


@pytest.fixture
def http_server():
    """A local server: /users.yml answers a list, anything else a 404 with a body."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            if self.path == "/users.yml":
                body, status = b"- name: bob\n- name: fred\n", 200
            else:
                body, status = b"no such thing", 404
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_loads_a_local_map_and_list(merge, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "map.yml").write_text("a: 1\nnested: {b: [x, z]}\n")
    (tmp_path / "data" / "list.json").write_text('["one", "two"]')
    out = merge(
        """
        where: data/list.json
        m: (( load "data/map.yml" ))
        l: (( load where ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path)},
    )
    assert out["m"] == {"a": 1, "nested": {"b": ["x", "z"]}}
    assert out["l"] == ["one", "two"]


def test_only_the_first_document_is_loaded(merge, tmp_path):
    (tmp_path / "multi.yml").write_text("a: 1\n---\nb: 2\n")
    out = merge('v: (( load "multi.yml" ))\n', env={"GRAFT_FILE_BASE_PATH": str(tmp_path)})
    assert out["v"] == {"a": 1}


def test_loaded_operators_are_not_evaluated(merge, tmp_path):
    (tmp_path / "ops.yml").write_text("x: (( grab y ))\n")
    out = merge('v: (( load "ops.yml" ))\n', env={"GRAFT_FILE_BASE_PATH": str(tmp_path)})
    assert out["v"] == {"x": "(( grab y ))"}


def test_loads_over_http(merge, http_server):
    out = merge(f'users: (( load "{http_server}/users.yml" ))\n')
    assert out["users"] == [{"name": "bob"}, {"name": "fred"}]


def test_http_errors(merge_error, http_server):
    lines = merge_error(
        f"""
        missing: (( load "{http_server}/other.yml" ))
        scheme: (( load "ftp://example.invalid/x.yml" ))
        """
    )
    assert lines == [
        f" - $.missing: failed to retrieve data from location {http_server}/other.yml: "
        "no such thing",
        ' - $.scheme: Get "ftp://example.invalid/x.yml": unsupported protocol scheme "ftp"',
    ]


def test_errors(merge_error, tmp_path):
    (tmp_path / "scalar.yml").write_text("just a string\n")
    (tmp_path / "comment.yml").write_text("# nothing here\n")
    lines = merge_error(
        """
        l: [a]
        missing: (( load "assets/load/other.yml" ))
        scalar: (( load "scalar.yml" ))
        comment: (( load "comment.yml" ))
        list: (( load l ))
        nil: (( load ~ ))
        """,
        env={"GRAFT_FILE_BASE_PATH": str(tmp_path)},
    )
    assert lines == [
        " - $.comment: unsupported root type in loaded content, only map or list roots are "
        "supported",
        " - $.list: load operator argument is a list; only string scalars are supported",
        " - $.missing: unable to get any content using location "
        f"{tmp_path}/assets/load/other.yml: it is not a file or usable URI",
        " - $.nil: load operator argument cannot be nil",
        " - $.scalar: unsupported root type in loaded content, only map or list roots are "
        "supported",
    ]
