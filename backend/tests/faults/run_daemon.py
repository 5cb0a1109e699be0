"""``python -m tests.faults.run_daemon [JOB_FUNCTION] [--pyro]``: the pipeline daemon as its own
process, configured by the environment like ``qlf daemon``, with a job function of the tests'
choosing; stops on SIGTERM (the tests SIGKILL it to simulate a crash)."""

from __future__ import annotations

import logging
import signal
import sys
import threading


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from qlf.pipeline.daemon import PipelineDaemon
    from qlf.pipeline.executors.job import DEFAULT_JOB

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    daemon = PipelineDaemon(job_function=args[0] if args else DEFAULT_JOB)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    daemon.start_background(serve_pyro="--pyro" in sys.argv)
    print("daemon running", flush=True)
    stop.wait()
    daemon.shutdown()


if __name__ == "__main__":
    main()
