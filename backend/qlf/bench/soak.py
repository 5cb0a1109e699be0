"""``qlf bench soak``: a whole night through the compose topology, with faults in the middle.

Postgres (a scratch database), Redis, one ``qlf serve`` and one ``qlf daemon`` process, the
daemon reaching the database through a TCP proxy (:mod:`qlf.bench.tcp_proxy`). One raw
exposure per flavor is simulated first (not timed: a ``desi`` exposure takes a minute); the
instrument then drops ``--exposures`` exposures of every flavor (calibrations, then science) at
``--cadence`` seconds, each a copy of its flavor's template with its own EXPID (the header cards
rewritten in place, the pixels unchanged), while ``--clients`` websocket clients follow the live
feed and ``--rate`` REST reads per second are sent (:class:`qlf.bench.load.ApiReader`). After a
third of the arrivals the database is cut for ``--outage-s`` seconds; after two thirds the
scratch disk (a tmpfs, root only) is made full for ``--disk-full-s`` seconds.

Checked, PASS/FAIL each: every exposure processed (a camera may fail only with the full disk's
``No space left on device``); no event lost, reordered or doubled for any client; daemon and
worker memory (RSS) once warm (three science exposures done) and at the end grow less than
5 %; API
p95 during processing within ``--api-budget-ms``; the outage and the full disk really happened
(the daemon logged the unavailable database, a disk ``ALARM`` was raised).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

__all__ = ["add_arguments", "night_sequence", "retarget", "run"]

NIGHT = 20261122
GROWTH_LIMIT = 0.05
WARM = 3  # science exposures done before memory is measured
_TEMPLATE_EXPID = 900_000
_FLAVORS = ("zero", "dark", "flat", "arc", "science")


def add_arguments(parser) -> None:
    parser.add_argument("--profile", default="desi", help="sim profile (desi, mini)")
    parser.add_argument("--cameras", help="e.g. b0,r0 (default: every camera of the profile)")
    parser.add_argument("--exposures", type=int, default=60, help="exposures of the night")
    parser.add_argument("--cadence", type=float, default=15.0, help="seconds between arrivals")
    parser.add_argument("--clients", type=int, default=50, help="websocket clients")
    parser.add_argument("--rate", type=float, default=5.0, help="paced API reads per second")
    parser.add_argument("--outage-s", type=float, default=30.0, help="database outage (0: none)")
    parser.add_argument(
        "--disk-full-s", type=float, default=45.0, help="full disk (0: none; the watch: 30 s)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="worker pool")
    parser.add_argument("--api-budget-ms", type=float, default=500.0, help="API p95 bound")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a Postgres server: a scratch database is created on it, and dropped at the end",
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temporary dir")


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="qlf-bench-soak-") as tmp:
        root = Path(args.keep or tmp)
        root.mkdir(parents=True, exist_ok=True)
        report = _Soak(args, root).run()
    print(report.text(args), flush=True)
    return 0 if report.ok(args) else 1


def night_sequence(count: int) -> list[str]:
    """A night of ``count`` exposures: zeros, darks, flats, arcs, then science (≥ 1 each)."""
    if count < len(_FLAVORS):
        raise ValueError(f"--exposures {count}: a night of every flavor needs at least 5")
    calibrations = {"zero": max(1, count // 12), "dark": max(1, count // 30), "flat": 3, "arc": 3}
    while sum(calibrations.values()) >= count:  # short nights: fewer flats and arcs
        calibrations = {k: max(1, v - 1) for k, v in calibrations.items()}
    sequence = [flavor for flavor, n in calibrations.items() for _ in range(n)]
    return sequence + ["science"] * (count - len(sequence))


def retarget(template: Path, final: Path, expid: int) -> Path:
    """Write ``template`` (a FITS file) to ``final`` with every header's ``EXPID`` card set to
    ``expid``: the cards are rewritten in place (same width), the data are copied unchanged.
    Written under a temporary name and renamed, as the instrument does."""
    from qlf.quicklook.io.atomic import write_bytes_atomic
    from qlf.quicklook.io.fits_layout import CARD, hdu_layout

    data = bytearray(template.read_bytes())
    with template.open("rb") as handle:
        hdus, _ = hdu_layout(handle, len(data))
    for hdu in hdus:
        for start in range(hdu.header_offset, hdu.data_offset, CARD):
            if data[start : start + 10] == b"EXPID   = ":
                data[start + 10 : start + 30] = f"{expid:>20d}".encode()
    final.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes_atomic(final, [bytes(data)])


# -- the run ---------------------------------------------------------------------------------


@dataclass
class _Report:
    exposures: int
    finished: int = 0
    done: int = 0
    failed_jobs: list[tuple[int, str, str]] = field(default_factory=list)  # expid, cam, error
    events: int = 0
    dropped: int = 0
    out_of_order: int = 0
    duplicates: int = 0
    memory: dict[str, tuple[float, float]] = field(default_factory=dict)  # MB at start, end
    latencies_s: list[float] = field(default_factory=list)
    api_errors: list[str] = field(default_factory=list)
    requests: int = 0
    late: int = 0
    outage: str = "not run"  # what was seen of it
    outage_seen: bool | None = None
    disk: str = "not run"
    disk_seen: bool | None = None
    wall_s: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # load average at start and end

    def p95_ms(self) -> float:
        return 1000 * float(np.percentile(self.latencies_s, 95)) if self.latencies_s else 0.0

    def items(self, args) -> list[tuple[str, bool | None, str]]:
        unexpected = [f for f in self.failed_jobs if "No space left on device" not in f[2]]
        rows = [
            ("exposures processed", self.finished == self.exposures and not unexpected,
             f"{self.finished} of {self.exposures} finished ({self.done} done, "
             f"{self.exposures - self.done} with failed cameras; {len(self.failed_jobs)} "
             f"cameras failed, {len(unexpected)} not by the full disk)"),
            ("live feed", not (self.dropped or self.out_of_order or self.duplicates),
             f"{self.events} events per client at least; lost {self.dropped}, reordered "
             f"{self.out_of_order}, doubled {self.duplicates}"),
        ]  # fmt: skip
        for name, (start, end) in self.memory.items():
            growth = (end - start) / start if start else float("inf")
            rows.append((f"{name} memory", growth < GROWTH_LIMIT,
                         f"{start:.0f} MB -> {end:.0f} MB ({100 * growth:+.1f} %, "
                         f"limit {100 * GROWTH_LIMIT:.0f} %)"))  # fmt: skip
        rows.append(
            (
                "API p95 during processing",
                bool(self.latencies_s)
                and not self.api_errors
                and self.p95_ms() <= args.api_budget_ms,
                f"{self.p95_ms():.0f} ms (bound {args.api_budget_ms:.0f} ms); "
                f"{self.requests} requests, {len(self.api_errors)} errors, {self.late} late",
            )
        )
        rows.append(("database outage", self.outage_seen, self.outage))
        rows.append(("full disk", self.disk_seen, self.disk))  # fmt: skip
        return rows

    def ok(self, args) -> bool:
        return all(passed is not False for _, passed, _ in self.items(args))

    def text(self, args) -> str:
        lines = [
            f"\nqlf bench soak: {self.exposures} {args.profile} exposures every "
            f"{args.cadence:g} s, {args.clients} websocket clients, {args.rate:g} API reads/s; "
            f"{self.wall_s / 60:.1f} min; load average {self.load[0]:.1f} at start, "
            f"{self.load[1]:.1f} at the end"
        ]
        for name, passed, detail in self.items(args):
            verdict = {True: "PASS", False: "FAIL", None: "SKIP"}[passed]
            lines.append(f"  {verdict}  {name:<28} {detail}")
        lines += [f"    failed: {e} {c}: {err[:120]}" for e, c, err in self.failed_jobs[:10]]
        lines += [f"    API error: {e}" for e in self.api_errors[:5]]
        lines.append("PASS" if self.ok(args) else "FAIL")
        return "\n".join(lines)


class _Soak:
    def __init__(self, args, root: Path):
        self.args, self.root = args, root
        self.dirs = {n: root / n for n in ("data", "scratch", "calib", "var", "stage")}
        self.report = _Report(exposures=args.exposures)
        self.sequence = night_sequence(args.exposures)
        self.processes: list[subprocess.Popen] = []
        self.mounted = False

    def run(self) -> _Report:
        from qlf.bench.tcp_proxy import TcpProxy

        for folder in self.dirs.values():
            folder.mkdir(exist_ok=True)
        templates = self._templates()
        database = _scratch_database(self.args.database_url)
        proxy = TcpProxy((database.host, database.port)).start()
        try:
            self.mounted = _mount_tmpfs(self.dirs["scratch"]) if self.args.disk_full_s else False
            env = self._environment(database.url)
            tokens = _setup(env)
            pyro = _free_port()
            daemon = self._start("daemon", env | {"DATABASE_URL": database.via(proxy.port)},
                                 ["daemon", "--port", str(pyro)])  # fmt: skip
            server_env = env | {"QLF_PIPELINE_URL": f"PYRO:qlf.pipeline@127.0.0.1:{pyro}"}
            port = _free_port()
            self._start("server", server_env, ["serve", "--port", str(port), "--no-migrate"])
            _wait_http(port)
            asyncio.run(self._night(port, tokens["viewer"], templates, database, proxy, daemon))
        finally:
            proxy.stop()
            for process in reversed(self.processes):
                _stop(process)
            if self.mounted:
                subprocess.run(["umount", "-l", str(self.dirs["scratch"])], check=False)
            database.drop()
        return self.report

    # -- set-up --------------------------------------------------------------------------------

    def _templates(self) -> dict[str, tuple[Path, Path | None]]:
        """One simulated exposure per flavor: {flavor: (raw, fibermap or None)}."""
        from qlf.sim.exposure import simulate_exposure

        cameras = self.args.cameras.split(",") if self.args.cameras else None
        made = {}
        for offset, flavor in enumerate(_FLAVORS):
            t = time.perf_counter()
            result = simulate_exposure(
                self.dirs["stage"], expid=_TEMPLATE_EXPID + offset, night=NIGHT, flavor=flavor,
                profile=self.args.profile, program="DARK" if flavor == "science" else None,
                cameras=cameras, seed=offset, calib=self.dirs["calib"], progress=False,
            )  # fmt: skip
            made[flavor] = (result.raw, result.fibermap)
            print(f"template {flavor}: {result.raw.stat().st_size / 1e6:.0f} MB, simulated in "
                  f"{time.perf_counter() - t:.0f} s (not timed)", flush=True)  # fmt: skip
        return made

    def _environment(self, database_url: str) -> dict[str, str]:
        from qlf.bench.live import _environment

        env = _environment(self.root, self.args.redis_url)  # compose: Redis, separate daemon
        specs = Path(__file__).resolve().parents[2] / "specs" / self.args.profile
        env.update(
            DATABASE_URL=database_url, QLF_VAR_DIR=str(self.dirs["var"]),
            QLF_DATA_DIR=str(self.dirs["data"]), QLF_SCRATCH_DIR=str(self.dirs["scratch"]),
            QLF_CALIB_DIR=str(self.dirs["calib"]), QLF_SPECS_DIR=str(specs),
            QLF_WORKERS=str(self.args.workers), QLF_POLL_S="0.5", QLF_SETTLE_S="1",
            QLF_PYRO_HMAC_KEY=secrets.token_hex(16), QLF_EMBEDDED_DAEMON="0",
        )  # fmt: skip
        if self.args.cameras:
            cameras = self.args.cameras.split(",")
            env["QLF_ARMS"] = ",".join(sorted({c[0] for c in cameras}))
            env["QLF_SPECTROGRAPHS"] = ",".join(sorted({c[1] for c in cameras}))
        return env

    def _start(self, name: str, env: dict[str, str], command: list[str]) -> subprocess.Popen:
        log = open(self.dirs["var"] / f"{name}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen([sys.executable, "-m", "qlf.cli", *command], env=env,
                                   stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        log.close()
        self.processes.append(process)
        return process

    # -- the night -----------------------------------------------------------------------------

    async def _night(self, port, token, templates, database, proxy, daemon) -> None:
        from websockets.asyncio.client import connect

        from qlf.bench.load import ApiReader, listen, settle_feed

        report, started = self.report, time.monotonic()
        report.load = (os.getloadavg()[0], 0.0)
        url, origin = f"ws://127.0.0.1:{port}/ws/monitor/?token={token}", f"http://127.0.0.1:{port}"
        sockets = [await connect(url, origin=origin, open_timeout=120, max_size=None)
                   for _ in range(self.args.clients)]  # fmt: skip
        starts = [json.loads(await ws.recv())["last_seq"] for ws in sockets]  # hello
        received: list[list[int]] = [[] for _ in sockets]
        listeners = [asyncio.create_task(listen(ws, seqs))
                     for ws, seqs in zip(sockets, received, strict=True)]  # fmt: skip
        api = ApiReader(port, token, database.newest_done)
        memory = _MemoryWatch(daemon.pid, database)
        stop = threading.Event()
        reader = asyncio.create_task(asyncio.to_thread(self._read_api, api, stop))
        watcher = asyncio.create_task(asyncio.to_thread(memory.run, stop))
        await asyncio.to_thread(self._instrument, templates, database, proxy)
        deadline = time.monotonic() + max(600.0, 120.0 * self.args.exposures)
        while database.finished() < self.args.exposures and time.monotonic() < deadline:
            if daemon.poll() is not None:
                break
            await asyncio.sleep(2)
        stop.set()
        await reader
        await watcher
        check = await settle_feed(
            sockets, listeners, starts, received, database.journal, wait_s=120
        )
        report.events, report.dropped = check.events, check.dropped
        report.out_of_order, report.duplicates = check.out_of_order, check.duplicates
        report.finished, report.done, report.failed_jobs = database.outcome()
        report.memory = memory.start_end()
        report.latencies_s, report.api_errors = api.latencies, api.errors
        report.requests, report.late = api.sent, api.late
        daemon_log = (self.dirs["var"] / "daemon.log").read_text(errors="replace")
        if self.args.outage_s:
            report.outage_seen = "database unavailable" in daemon_log
            report.outage = (f"{self.args.outage_s:g} s; the daemon "
                             + ("logged the unavailable database and went on"
                                if report.outage_seen else "never noticed"))  # fmt: skip
        if self.args.disk_full_s and self.mounted:
            watch, cameras = database.disk_alarms()
            report.disk_seen = bool(watch or cameras)
            report.disk = (
                f"{self.args.disk_full_s:g} s; {len(watch)} disk-watch ALARM(s), {len(cameras)} "
                "camera ALARM(s) 'No space left on device'; the daemon went on"
                + (f" ({watch[0][:80]})" if watch else "")
            )
        elif self.args.disk_full_s:
            report.disk = "skipped: mounting the scratch tmpfs needs root"
        report.wall_s = time.monotonic() - started
        report.load = (report.load[0], os.getloadavg()[0])

    def _read_api(self, api, stop: threading.Event) -> None:
        """Paced reads until ``stop``, in slices of the reader's fixed-duration drive."""
        while not stop.is_set():
            api.drive(self.args.rate, 10.0, 8)

    def _instrument(self, templates, database, proxy) -> None:
        """Drop the night at the cadence; cut the database and fill the disk on the way."""
        start, count = time.monotonic(), self.args.exposures
        for index, flavor in enumerate(self.sequence):
            time.sleep(max(0.0, start + index * self.args.cadence - time.monotonic()))
            expid = index + 1
            folder = self.dirs["data"] / str(NIGHT) / f"{expid:08d}"
            raw, fibermap = templates[flavor]
            if fibermap is not None:
                retarget(fibermap, folder / f"fibermap-{expid:08d}.fits", expid)
            retarget(raw, folder / f"desi-{expid:08d}.fits.fz", expid)
            print(f"  exposure {expid} ({flavor}) dropped at {time.monotonic() - start:.0f} s; "
                  f"{database.finished()} finished", flush=True)  # fmt: skip
            if index == count // 3 and self.args.outage_s:
                print(f"  database cut for {self.args.outage_s:g} s", flush=True)
                proxy.stop()
                threading.Timer(self.args.outage_s, proxy.start).start()
            if index == 2 * count // 3 and self.args.disk_full_s and self.mounted:
                print(f"  scratch disk full for {self.args.disk_full_s:g} s", flush=True)
                _fill(self.dirs["scratch"])
                threading.Timer(self.args.disk_full_s, _unfill, [self.dirs["scratch"]]).start()
            self._drop_finished_raw(database)

    def _drop_finished_raw(self, database) -> None:
        """Delete the raw files of finished exposures (a desi night is 22 GB otherwise)."""
        for expid in database.finished_expids():
            folder = self.dirs["data"] / str(NIGHT) / f"{expid:08d}"
            with contextlib.suppress(OSError):
                (folder / f"desi-{expid:08d}.fits.fz").unlink()


# -- processes, memory, the database, the disk ----------------------------------------------


def _setup(env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "qlf.bench.live", "setup"], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(port: int) -> None:
    import urllib.request

    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("qlf serve did not start (see var/server.log)")


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 15)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait(30)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _workers(pid: int) -> list[int]:
    """The daemon's pool workers (its ``multiprocessing`` spawn children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


class _MemoryWatch:
    """Samples the daemon's and its workers' RSS; "start" is taken once :data:`WARM` science
    exposures are done (the largest flavor run, and every worker's file cache holding the
    calibration of every camera: after one exposure a worker has seen half of them), "end" at
    the last sample."""

    def __init__(self, daemon_pid: int, database):
        self.pid, self.database = daemon_pid, database
        self.start: dict[str, float] | None = None
        self.last: dict[str, float] = {}

    def sample(self) -> dict[str, float]:
        return {"daemon": _rss_mb(self.pid),
                "workers (sum)": sum(_rss_mb(w) for w in _workers(self.pid))}  # fmt: skip

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(2.0):
            self.last = self.sample()
            if self.start is None and self.database.science_done() >= WARM:
                self.start = self.last
        self.last = self.sample()

    def start_end(self) -> dict[str, tuple[float, float]]:
        start = self.start or {}
        return {name: (start.get(name, 0.0), self.last.get(name, 0.0)) for name in self.last}


class _ScratchDatabase:
    """A scratch Postgres database: created on the server of ``base_url``, dropped at the end."""

    def __init__(self, base_url: str):
        import psycopg

        parts = urlsplit(base_url)
        self.name = f"qlf_soak_{os.getpid()}_{secrets.token_hex(3)}"
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 5432
        self.base = base_url
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        with psycopg.connect(base_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self._conn = None

    def via(self, port: int) -> str:
        """The URL through a proxy listening on ``port`` of the loopback."""
        parts = urlsplit(self.url)
        user = f"{parts.username}@" if parts.username else ""
        password = f"{parts.username}:{parts.password}@" if parts.password else user
        return urlunsplit(parts._replace(netloc=f"{password}127.0.0.1:{port}"))

    def _query(self, sql: str, params=()) -> list[tuple]:
        import psycopg

        if self._conn is None:
            self._conn = psycopg.connect(self.url, autocommit=True)
        return self._conn.execute(sql, params).fetchall()

    def finished(self) -> int:
        return self._query("SELECT count(*) FROM dashboard_process "
                           "WHERE status IN ('done', 'failed')")[0][0]  # fmt: skip

    def finished_expids(self) -> list[int]:
        return [e for (e,) in self._query("SELECT exposure_id FROM dashboard_process "
                                          "WHERE status IN ('done', 'failed')")]  # fmt: skip

    def science_done(self) -> int:
        return self._query(
            "SELECT count(*) FROM dashboard_process p JOIN dashboard_exposure e ON e.expid = "
            "p.exposure_id WHERE e.flavor = 'science' AND p.status = 'done'"
        )[0][0]  # fmt: skip

    def newest_done(self) -> int:
        return self._query("SELECT max(id) FROM dashboard_process WHERE status = 'done'")[0][0] or 0

    def journal(self, *, after: int, until: int | None = None) -> list[int]:
        rows = self._query(
            "SELECT seq FROM dashboard_event WHERE seq > %s AND seq <= %s AND type != 'job.log' "
            "ORDER BY seq", (after, until if until is not None else 2**62),
        )  # fmt: skip
        return [seq for (seq,) in rows]

    def outcome(self) -> tuple[int, int, list[tuple[int, str, str]]]:
        finished = self.finished()
        done = self._query("SELECT count(*) FROM dashboard_process WHERE status = 'done'")[0][0]
        failed = self._query(
            "SELECT p.exposure_id, j.camera, j.error FROM dashboard_job j JOIN dashboard_process"
            " p ON p.id = j.process_id WHERE j.status = 'failed' ORDER BY p.exposure_id, j.camera"
        )  # fmt: skip
        return finished, done, [(e, c, err or "") for e, c, err in failed]

    def disk_alarms(self) -> tuple[list[str], list[str]]:
        """The ALARM texts of the disk watch, and of cameras that found no space."""
        rows = self._query("SELECT payload FROM dashboard_event WHERE type = 'alert' ORDER BY seq")
        alarms = [p for (p,) in rows if p.get("level") == "ALARM"]
        watch = [p.get("text", "") for p in alarms if "disk" in p]
        cameras = [p.get("text", "") for p in alarms if "No space left" in p.get("text", "")]
        return watch, cameras

    def drop(self) -> None:
        import psycopg

        if self._conn is not None:
            self._conn.close()
        with psycopg.connect(self.base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _scratch_database(base_url: str) -> _ScratchDatabase:
    return _ScratchDatabase(base_url)


_TMPFS_SIZE = "8g"  # only what is written takes memory


def _mount_tmpfs(folder: Path) -> bool:
    """Mount a tmpfs on ``folder`` (root only): its size can then be cut to make it full."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={_TMPFS_SIZE},mode=0700",
                           "tmpfs", str(folder)], capture_output=True)  # fmt: skip
    return done.returncode == 0


def _fill(folder: Path) -> None:
    """Shrink the tmpfs to what it holds: the next write fails with ENOSPC."""
    used = shutil.disk_usage(folder).used
    page = os.sysconf("SC_PAGE_SIZE")
    size = max(page, -(-used // page) * page)
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=False)


def _unfill(folder: Path) -> None:
    subprocess.run(["mount", "-o", f"remount,size={_TMPFS_SIZE}", str(folder)], check=False)
