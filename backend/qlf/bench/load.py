"""``qlf bench load``: the server under load while its daemon processes a night.

One ``qlf serve`` with its embedded daemon (the ``./start.sh`` topology) on a temporary SQLite
database; the simulated instrument (``qlf sim night``, mini profile, two cameras) drops an
exposure every ``--cadence`` seconds; ``--clients`` websocket clients (viewers) follow the live
feed and ``--rate`` REST requests per second (a mix of the Monitor's and the history pages'
reads) are sent for ``--duration`` seconds, all on the loopback. In-flight requests are bounded
(``--max-in-flight``): a request that cannot be sent on time is counted as late, not queued.

Checked: every client receives every journaled event after its connection (``job.log`` aside,
which goes to subscribers only), in order, none twice; no request fails. Reported: the API
latency percentiles, the achieved rate, the events and exposures of the run.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qlf.paths import SPECS_ROOT

__all__ = [
    "PATHS",
    "ApiReader",
    "FeedCheck",
    "LoadReport",
    "add_arguments",
    "feed_check",
    "listen",
    "load_run",
    "run",
    "settle_feed",
]

NIGHT = 20261122
SPECS_MINI = SPECS_ROOT / "mini"
#: the reads of the Monitor and history pages; ``{process}`` is the newest process
PATHS = (
    "/api/pipeline/status/",
    "/api/processes/recent/",
    "/api/exposures/?page_size=20",
    "/api/processes/?page_size=20",
    "/api/processes/{process}/",
    "/api/processes/{process}/qa/",
    "/api/specs/current/",
    "/api/config/",
)


def add_arguments(parser) -> None:
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=50, help="websocket clients")
    parser.add_argument("--rate", type=float, default=100.0, help="API requests per second")
    parser.add_argument("--cadence", type=float, default=4.0, help="seconds between exposures")
    parser.add_argument("--max-in-flight", type=int, default=32, help="bound on open requests")


def run(args) -> int:
    report = load_run(
        duration=args.duration,
        clients=args.clients,
        rate=args.rate,
        cadence=args.cadence,
        max_in_flight=args.max_in_flight,
    )
    print(report.text())
    return 0 if report.ok else 1


@dataclass
class LoadReport:
    duration_s: float
    clients: int
    exposures_done: int
    events: int  # journaled events every client had to receive (at least)
    dropped: int  # summed over clients
    out_of_order: int
    duplicates: int
    requests: int
    late: int  # not sent on time because --max-in-flight requests were open
    errors: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not (self.dropped or self.out_of_order or self.duplicates or self.errors)

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_s, q)) if self.latencies_s else float("nan")

    def text(self) -> str:
        ms = {q: 1000 * self.percentile(q) for q in (50, 95, 99, 100)}
        return "\n".join(
            [
                f"load: {self.duration_s:.0f} s, {self.clients} websocket clients, "
                f"{self.exposures_done} exposures processed meanwhile",
                f"live feed: {self.events} events per client at least; dropped {self.dropped}, "
                f"out of order {self.out_of_order}, duplicates {self.duplicates}",
                f"API: {self.requests} requests ({self.requests / self.duration_s:.1f}/s), "
                f"{len(self.errors)} errors, {self.late} late; latency p50 {ms[50]:.0f} ms, "
                f"p95 {ms[95]:.0f} ms, p99 {ms[99]:.0f} ms, max {ms[100]:.0f} ms",
                *(f"  error: {e}" for e in self.errors[:10]),
                "OK" if self.ok else "FAILED",
            ]
        )


def load_run(
    *,
    duration: float = 60.0,
    clients: int = 50,
    rate: float = 100.0,
    cadence: float = 4.0,
    max_in_flight: int = 32,
) -> LoadReport:
    from qlf.bench.live import _environment, _helper, _serve

    with tempfile.TemporaryDirectory(prefix="qlf-bench-load-") as tmp:
        root = Path(tmp)
        env = _environment(root, None)  # embedded daemon, in-memory channel layer
        env.update(
            QLF_CALIB_DIR=str(root / "calib"), QLF_SPECS_DIR=str(SPECS_MINI), QLF_ARMS="b,r",
            QLF_SPECTROGRAPHS="0", QLF_WORKERS="2", QLF_POLL_S="0.2", QLF_SETTLE_S="1",
        )  # fmt: skip
        token = _helper(env, "setup")["viewer"]
        server, port = _serve(env)
        night = _night(env, root, count=int(duration / cadence) + 2, cadence=cadence)
        try:
            feed = asyncio.run(_load(port, token, clients, rate, duration, max_in_flight, root))
        finally:
            night.kill()
            night.wait(30)
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        return feed


def _night(env, root: Path, *, count: int, cadence: float) -> subprocess.Popen:
    """The simulated instrument, dropping a mini exposure (b0, r0) every ``cadence`` s."""
    command = [
        sys.executable, "-m", "qlf.cli", "sim", "night", "--night", str(NIGHT),
        "--sequence", f"zero,flat,arc,science*{max(1, count - 3)}", "--cadence", str(cadence),
        "--out", str(root / "data"), "--calib", str(root / "calib"), "--profile", "mini",
        "--cameras", "b0,r0", "--workers", "1", "--no-progress",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _load(port, token, clients, rate, duration, max_in_flight, root: Path) -> LoadReport:
    from websockets.asyncio.client import connect

    database = root / "qlf.sqlite3"
    url = f"ws://127.0.0.1:{port}/ws/monitor/?token={token}"
    origin = f"http://127.0.0.1:{port}"
    sockets = [await connect(url, origin=origin, open_timeout=60, max_size=None)
               for _ in range(clients)]  # fmt: skip
    starts = [json.loads(await ws.recv())["last_seq"] for ws in sockets]  # hello
    received: list[list[int]] = [[] for _ in sockets]
    listeners = [
        asyncio.create_task(listen(ws, seqs)) for ws, seqs in zip(sockets, received, strict=True)
    ]
    api = ApiReader(port, token, lambda: _newest_done(database))
    started = time.monotonic()
    await asyncio.to_thread(api.drive, rate, duration, max_in_flight)
    elapsed = time.monotonic() - started
    journal = functools.partial(_journal, database)
    check = await settle_feed(sockets, listeners, starts, received, journal, wait_s=60)
    return LoadReport(
        duration_s=elapsed, clients=clients, exposures_done=_done(database),
        events=check.events, dropped=check.dropped, out_of_order=check.out_of_order,
        duplicates=check.duplicates, requests=api.sent, late=api.late, errors=api.errors,
        latencies_s=api.latencies,
    )  # fmt: skip


@dataclass(frozen=True)
class FeedCheck:
    events: int  # the fewest journaled events a client had to receive
    dropped: int  # summed over clients
    out_of_order: int
    duplicates: int


async def settle_feed(sockets, listeners, starts, received, journal, *, wait_s: float) -> FeedCheck:
    """Give every client up to ``wait_s`` to receive the journal's last event, close them, and
    check what each received against ``journal(after=, until=)``."""
    last = journal(after=0)[-1:]
    deadline = time.monotonic() + wait_s
    while (
        last
        and time.monotonic() < deadline
        and any(not seqs or seqs[-1] < last[0] for seqs in received)
    ):
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    until = last[0] if last else 0
    return feed_check(starts, received, lambda start: journal(after=start, until=until))


def feed_check(starts: list[int], received: list[list[int]], journal) -> FeedCheck:
    """Compare what each client received (``received``, seqs in arrival order) with what it had
    to: ``journal(start)``, the journaled seqs after its connection (``starts``: its hello's)."""
    dropped = out_of_order = duplicates = 0
    fewest = None
    for start, seqs in zip(starts, received, strict=True):
        expected = set(journal(start))
        fewest = len(expected) if fewest is None else min(fewest, len(expected))
        dropped += len(expected - set(seqs))
        duplicates += len(seqs) - len(set(seqs))
        out_of_order += sum(1 for a, b in itertools.pairwise(seqs) if b < a)
    return FeedCheck(fewest or 0, dropped, out_of_order, duplicates)


async def listen(ws, seqs: list[int]) -> None:
    """Append the ``seq`` of every journaled message ``ws`` receives to ``seqs``."""
    async for text in ws:
        message = json.loads(text)
        if message.get("seq") is not None:
            seqs.append(message["seq"])


def _journal(database: Path, *, after: int, until: int | None = None) -> list[int]:
    """The seqs of the journaled events after ``after`` (up to ``until``), ``job.log`` aside."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute(
            "SELECT seq FROM dashboard_event WHERE seq > ? AND seq <= ? AND type != 'job.log' "
            "ORDER BY seq",
            (after, until if until is not None else 2**62),
        ).fetchall()
    return [seq for (seq,) in rows]


def _done(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        query = "SELECT count(*) FROM dashboard_process WHERE status = 'done'"
        return db.execute(query).fetchone()[0]


class ApiReader:
    """REST reads (:data:`PATHS`) at a fixed rate from a bounded pool of threads;
    ``newest_process()`` gives the process whose detail pages are read."""

    def __init__(self, port: int, token: str, newest_process):
        self.base, self.token, self.newest_process = (
            f"http://127.0.0.1:{port}",
            token,
            newest_process,
        )
        self.sent = self.late = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._process = 0

    def drive(self, rate: float, duration: float, max_in_flight: int) -> None:
        in_flight = threading.Semaphore(max_in_flight)
        start = time.monotonic()
        with ThreadPoolExecutor(max_in_flight) as pool:
            for i in range(int(rate * duration)):
                time.sleep(max(0.0, start + i / rate - time.monotonic()))
                if i % 50 == 0:
                    self._process = self.newest_process()
                if not in_flight.acquire(blocking=False):
                    self.late += 1
                    continue
                path = PATHS[i % len(PATHS)]
                if "{process}" in path:
                    if not self._process:
                        path = PATHS[0]
                    path = path.format(process=self._process)
                self.sent += 1
                pool.submit(self._get, path, in_flight)

    def _get(self, path: str, in_flight: threading.Semaphore) -> None:
        request = urllib.request.Request(
            self.base + path, headers={"Authorization": f"Token {self.token}"}
        )
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
            with self._lock:
                self.latencies.append(time.perf_counter() - t)
        except (urllib.error.URLError, OSError) as exc:
            with self._lock:
                self.errors.append(f"GET {path}: {exc}")
        finally:
            in_flight.release()


def _newest_done(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        row = db.execute("SELECT max(id) FROM dashboard_process WHERE status = 'done'").fetchone()
    return row[0] or 0
