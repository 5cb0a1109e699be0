"""The processing steps under the Quick Look QA: each a ``run``-style function returning a
named result; I/O stays in :mod:`qlf.quicklook.io` and the runner."""
