"""``graftpy diff``: the semantic differences between two YAML files, as graft shows them.

graft delegates this command to the dyff library; its report (without dyff's
banner) is reproduced here byte for byte for uncoloured output.

API::

    text, differs = diff_files("a.yml", "b.yml")          # colour off
    sys.stdout.write(text)                                 # exactly graft's stdout
    sys.exit(1 if differs else 0)

``text`` already ends with the newline graft prints after the report. Inputs
that cannot be read or compared raise :class:`DiffError` (graft exits 2).
"""

from __future__ import annotations

from graftpy.diff.load import DiffError

__all__ = ["DiffError", "diff_files"]


def diff_files(
    path_a: str, path_b: str, *, color: bool = False, width: int = 80
) -> tuple[str, bool]:
    """Compare two files; returns (stdout text exactly as graft prints it, whether they differ).

    ``width`` is the terminal width the layout adapts to (graft uses 80 when
    standard output is not a terminal).
    """
    from graftpy.diff.compare import compare_files
    from graftpy.diff.load import load_file
    from graftpy.diff.render import Report

    first = load_file(path_a)
    second = load_file(path_b)
    diffs = compare_files(first, second)
    report = Report(color=color, width=width, show_root=len(first.documents) > 1)
    return report.render(diffs) + "\n", bool(diffs)
