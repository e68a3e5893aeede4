"""Which error a run reports when several inputs are bad: graft's reading order.

Found by the differential fuzzer (findings F45, F46 in
/work/notes/differential-findings.md): graft reads the bytes of every file first
(a missing file is reported before a syntax error in an earlier one), then
parses each in turn, reading a go-patch file's operations with it (a malformed
operation is reported before a merge error of an earlier file).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PATCH_WITHOUT_PATH = "- type: replace\n  value: true\n"
PATCH_ERROR = (
    "patch.yml: @R{Unable to parse go-patch definitions: Replace operation [0]: Missing path "
    'within\n{\n  "Type": "replace",\n  "Value": "<redacted>"\n}\n\n\n'
)


def graftpy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args], cwd=cwd, capture_output=True, text=True,
        timeout=60,
    )


def test_a_missing_file_is_reported_before_an_earlier_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("a: 1\n")
    (tmp_path / "bad.yml").write_text("a: [\n")
    out = graftpy("merge", "a.yml", "bad.yml", "missing.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "Error reading file missing.yml: open missing.yml: no such file or directory\n"
    )


def test_a_malformed_go_patch_operation_is_reported_before_merging(tmp_path: Path) -> None:
    # the second file does not merge onto the first; graft never gets that far
    (tmp_path / "a.yml").write_text("l: [x]\n")
    (tmp_path / "b.yml").write_text("l:\n- (( merge on id ))\n- y\n")
    (tmp_path / "patch.yml").write_text(PATCH_WITHOUT_PATH)
    out = graftpy("merge", "--go-patch", "a.yml", "b.yml", "patch.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout, out.stderr) == (2, "", PATCH_ERROR)


def test_a_malformed_go_patch_operation_comes_before_a_later_syntax_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yml").write_text("a: 1\n")
    (tmp_path / "patch.yml").write_text(PATCH_WITHOUT_PATH)
    (tmp_path / "bad.yml").write_text("a: [\n")
    out = graftpy("merge", "--go-patch", "a.yml", "patch.yml", "bad.yml", cwd=tmp_path)
    assert (out.returncode, out.stderr) == (2, PATCH_ERROR)
