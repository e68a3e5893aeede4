"""``graftpy render``: every target of a pipeline's ``graftpy.yml`` in one process.

A target is one ``graftpy merge``: its files, its settings, its output file.
A render of many targets goes in two phases, as a reviewer and a CI job want:

**plan**     load, merge and scan every target; list the secrets each will read
             (``--plan`` prints this and stops: no store is contacted);
**execute**  read the union of those secrets once, concurrently, through one
             backend layer for the whole run; then evaluate the targets, ``jobs``
             at a time, and write each output atomically.

Each output is byte for byte what ``graftpy merge`` writes for the same inputs:
the targets go through the merge pipeline itself (``graftpy.pipeline``).

Modules, one job each:

``targets``   the ``targets:`` schema, inheritance, ``{target}``, ``--only``, ``--shard``
``secrets``   which secrets a merged document reads, found without evaluating it
``plan``      the plan phase, and the plan as a document
``backends``  the run's shared backend layer (one per distinct secret store setup)
``prefetch``  reading the planned secrets ahead, concurrently
``execute``   evaluating and writing targets, failure isolation, ``--fail-fast``
``run``       the whole run
``report``    the summary table on stderr and the ``--report`` JSON
``live``      the progress line
``metrics``   the run's metrics, labelled by target
"""
