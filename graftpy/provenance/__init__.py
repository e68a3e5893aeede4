"""Where every value came from: provenance of a merge, for ``graftpy explain``.

Nothing here runs in a plain merge. When explaining (``graftpy explain``,
``merge --explain-to``) or locating errors (``--show-origin``, the library's
errors), the run keeps a side structure beside the document, never inside it:

* ``trace``: a ``Trace`` node per place in the merged document (its children
  mirror the document's maps and lists), holding the ``Event`` list of which
  file and line set or overrode it, in merge order, and by which array-merge
  rule; go-patch operations and ``--set`` are events too;
* ``evaluation``: what each evaluated operator read, recorded through its
  evaluation context (``OpRecord``);
* ``explain``: the explanation of a path, as a tree (text or JSON);
* ``origins``: file and line for the errors of a run.

The merge records events through ``graftpy.merging.tracing.MergeTracer``; the
loader's lines come from ``graftpy.yamlio.positions``.
"""
