"""``qlf daemon``: run the pipeline daemon, or (``--call``) control a running one."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

__all__ = ["add_commands"]

CALLS = ("status", "start", "stop", "reset", "reprocess")


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "daemon",
        help="run the pipeline daemon (Pyro4 server), or control a running one with --call",
        description="Discovers exposures in QLF_DATA_DIR, runs their camera jobs, ingests QA. "
        "Configured by QLF_* environment variables (see docs/daemon.md).",
    )
    parser.add_argument("--call", choices=CALLS, help="call a running daemon instead of serving")
    parser.add_argument("--expid", type=int, help="exposure to reprocess (with --call reprocess)")
    parser.add_argument("--yes", action="store_true", help="confirm --call reset")
    parser.add_argument("--host", help="listen address (default QLF_PYRO_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="listen port (default QLF_PYRO_PORT, 7770)")
    parser.add_argument("--executor", choices=("local", "celery"), help="default QLF_EXECUTOR")
    parser.add_argument("--workers", type=int, help="local pool size (default QLF_WORKERS)")
    parser.add_argument(
        "--no-start", action="store_true", help="serve control calls but wait for start"
    )
    parser.set_defaults(func=_run)


def _config(args):
    from qlf.config import read_config

    overrides = {
        key: value
        for key, value in {
            "pyro_host": args.host,
            "pyro_port": args.port,
            "executor": args.executor,
            "workers": args.workers,
        }.items()
        if value is not None
    }
    return read_config(**overrides)


def _run(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.call:
        return _call(args, config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from qlf.config import pipeline_uri
    from qlf.pipeline.daemon import PipelineDaemon, pyro_daemon

    daemon = PipelineDaemon(config, autostart=not args.no_start)
    server = pyro_daemon(daemon)
    stopping = threading.Event()

    def terminate(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    daemon.start_background()
    print(f"qlf daemon: {pipeline_uri(config)} ({config.executor} executor)", flush=True)
    try:
        server.requestLoop(loopCondition=lambda: not stopping.is_set())
    finally:
        server.close()
        daemon.shutdown()
    return 0


def _call(args, config) -> int:
    from qlf.dashboard.services.pipeline_client import pipeline_proxy

    proxy = pipeline_proxy(config=config, timeout=30)
    if args.call == "reprocess":
        if args.expid is None:
            raise ValueError("--call reprocess needs --expid")
        answer = proxy.reprocess(args.expid)
    elif args.call == "reset":
        answer = proxy.reset(bool(args.yes))
    else:
        answer = getattr(proxy, args.call)()
    json.dump(answer, sys.stdout, indent=2)
    print()
    return 0
