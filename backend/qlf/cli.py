"""The ``qlf`` command: one entry point, sub-commands contributed by each package.

Each module listed in ``COMMAND_MODULES`` defines ``add_commands(subparsers)``, which adds its
sub-commands with ``set_defaults(func=...)``; ``func(args)`` returns the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["build_parser", "main"]

COMMAND_MODULES = [
    "qlf.sim.cli",
    "qlf.quicklook.cli",
    "qlf.bench",
    "qlf.web.cli",
    "qlf.pipeline.cli",
    "qlf.pipeline.campaign_cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qlf", description="Quick Look Framework")
    parser.add_argument("--version", action="version", version=_version())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    from qlf.config import load_config_file

    load_config_file()  # ./configure.sh's qlf.env, as start.sh reads it
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 1
    try:
        return int(args.func(args) or 0)
    except (ValueError, OSError) as exc:  # a user-facing error: one line, exit code 2
        print(f"qlf {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _version() -> str:
    from qlf import __version__

    return f"qlf {__version__}"


if __name__ == "__main__":
    sys.exit(main())
