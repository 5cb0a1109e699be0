"""``qlf bench``: benchmarks measured against the budgets of DESIGN.md section 9.

Each entry of ``BENCHMARKS`` names a module with ``add_arguments(parser)`` and ``run(args)``;
``run`` prints a report and returns the exit code (non-zero when a budget is exceeded and
``--strict`` is given).
"""

from __future__ import annotations

import importlib

__all__ = ["BENCHMARKS", "add_commands"]

BENCHMARKS: dict[str, tuple[str, str]] = {
    "sim": ("qlf.bench.sim", "generation time of a simulated exposure"),
    "camera": ("qlf.bench.camera", "CPU seconds per Quick Look step for one camera"),
    "api": ("qlf.bench.api", "QA ingestion and API timings with 150,000 exposures"),
    "exposure": ("qlf.bench.exposure", "one full exposure through the daemon: file -> QA"),
    "plots": ("qlf.bench.plots", "plot endpoint timings for a desi-size camera"),
    "live": ("qlf.bench.live", "websocket feed latency, worker report -> 50 clients"),
    "load": ("qlf.bench.load", "50 websocket clients + 100 API requests/s over a night"),
    "campaign": ("qlf.bench.campaign", "campaign exposures per hour on the local pool, live first"),
    "soak": ("qlf.bench.soak", "a whole night with 50 clients, a database outage, a full disk"),
}


def add_commands(subparsers) -> None:
    bench = subparsers.add_parser("bench", help="run a benchmark against the design budgets")
    which = bench.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name, (module_name, help_text) in BENCHMARKS.items():
        parser = which.add_parser(name, help=help_text)
        module = importlib.import_module(module_name)
        module.add_arguments(parser)
        parser.set_defaults(func=module.run)
