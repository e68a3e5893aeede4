"""The summary table, the progress line, and which targets share a backend layer."""

from __future__ import annotations

import io
from pathlib import Path

from graftpy.backends.stats import StatsSnapshot
from graftpy.render import report
from graftpy.render.backends import BackendLayer, identity
from graftpy.render.execute import TargetResult
from graftpy.render.live import RenderProgress

RESULTS = [
    TargetResult("lab", "ok", 0.0213, 7, 3, "out/lab.yml"),
    TargetResult(
        "production",
        "failed",
        0.5,
        0,
        0,
        "out/production.yml",
        "1 error(s)\n",
        2,
        warnings=("warning: a.yml: line 2, column 1: duplicate map key",),
    ),
    TargetResult("qa", "skipped", 0.0, 0, 0, "out/qa.yml"),
]


def test_the_table_lines_up_and_says_what_was_kept() -> None:
    assert report.table(RESULTS) == (
        "target      status    time  ops  secrets  output\n"
        "lab         ok       0.02s    7        3  out/lab.yml\n"
        "production  failed   0.50s    -        -  out/production.yml (unchanged)\n"
        "qa          skipped      -    -        -  out/qa.yml (unchanged)\n"
    )
    vault = StatsSnapshot("vault", requests=151, cache_misses=150)
    assert report.closing_line(RESULTS, 1.234, {"vault": vault}) == (
        "render: 3 targets: 1 ok, 1 failed, 1 skipped in 1.23s; "
        "vault: 150 secrets read in 151 requests\n"
    )
    assert report.messages(RESULTS) == (
        "target production warned:\n"
        "warning: a.yml: line 2, column 1: duplicate map key\n"
        "target production failed:\n1 error(s)\n"
    )


def test_the_report_document() -> None:
    doc = report.document(RESULTS, 2.0, {"vault": StatsSnapshot("vault", requests=3)})
    assert doc["status"] == "failed"
    assert doc["targets"][1] == {
        "name": "production",
        "status": "failed",
        "seconds": 0.5,
        "operations": 0,
        "secrets": 0,
        "output": "out/production.yml",
        "warnings": ["warning: a.yml: line 2, column 1: duplicate map key"],
        "backends": {},
        "error": "1 error(s)",
    }
    assert doc["backends"]["vault"]["requests"] == 3


def test_the_progress_line_counts_targets_and_secret_reads() -> None:
    clock = iter(float(t) for t in range(100))
    live = RenderProgress(io.StringIO(), live=False, clock=lambda: next(clock))
    assert live.text() == ""
    live.begin("planned", 3)
    live.secrets_queued(4)
    live.one_finished()
    live.secret_read()
    assert live.text() == "graftpy render: 1/3 targets planned, secrets 1/4 read"
    live.begin("done", 3)
    live.one_started()
    live.one_started()
    live.one_finished(failed=True)
    for _ in range(3):
        live.secret_read()
    assert live.text() == "graftpy render: 1/3 targets done, 1 failed, 1 running"
    stream = io.StringIO()
    drawn = RenderProgress(stream, live=True, clock=lambda: 0.0)
    drawn.begin("done", 2)
    with drawn.paused():
        pass
    drawn.draw()
    drawn.clear()
    assert stream.getvalue() == "\rgraftpy render: 0/2 targets done (0 s)\x1b[K\r\x1b[K"


def test_targets_share_backends_when_they_name_the_same_stores(tmp_path: Path) -> None:
    base = {"VAULT_ADDR": "http://v:8200", "VAULT_TOKEN": "t", "HOME": "/h", "APP": "a"}
    assert identity(base, None) == identity({**base, "APP": "other"}, None)
    assert identity(base, None) != identity({**base, "VAULT_ADDR": "http://w:8200"}, None)
    assert identity(base, None) != identity({**base, "VAULT_NAMESPACE": "team"}, None)
    assert identity(base, None) != identity({**base, "GRAFT_BACKEND_CONCURRENCY": "4"}, None)
    stores = tmp_path / "targets.yml"
    stores.write_text("targets:\n  vault:\n    prod: {url: $PROD_ADDR, token: ${PROD_TOKEN}}\n")
    with_file = {**base, "PROD_ADDR": "http://p", "PROD_TOKEN": "x"}
    assert identity(with_file, str(stores)) != identity(
        {**with_file, "PROD_TOKEN": "y"}, str(stores)
    )
    assert identity(with_file, str(stores)) == identity({**with_file, "APP": "b"}, str(stores))
    layer = BackendLayer()
    one = layer.for_env(base, None)
    assert layer.for_env({**base, "APP": "other"}, None) is one
    assert layer.for_env({**base, "VAULT_TOKEN": "u"}, None) is not one
    assert len(layer.all()) == 2
    assert layer.stats() == {} and layer.in_flight() == 0
