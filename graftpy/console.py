"""The ``graftpy`` console script (``[project.scripts]``) and ``python -m graftpy``.

Kept apart from ``graftpy.cli`` so that the collector is tuned
(``graftpy.collector.tune_for_a_run``) before anything else is imported.
"""

from __future__ import annotations


def run() -> None:
    """Tune the collector for a run of graftpy's own, then run the CLI (``graftpy.cli.run``)."""
    from graftpy.collector import tune_for_a_run
    from graftpy.framestack import roomy

    tune_for_a_run()
    from graftpy.cli import run as run_cli

    roomy(run_cli)
