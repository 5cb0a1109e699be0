"""The pipeline daemon: the scheduler's loop in a thread, controlled directly or through Pyro4.

Two ways to run it, one code path:

- standalone: ``qlf daemon`` serves :class:`PipelineService` with Pyro4 on ``QLF_PYRO_HOST``
  (127.0.0.1) and ``QLF_PYRO_PORT`` with an HMAC key, and runs the loop;
- embedded (DESIGN.md 2): the server calls ``PipelineDaemon(...).start_background()`` so the
  events reach its Channels consumers in-process, and ``shutdown()`` when it stops.

Control calls (``start``, ``stop``, ``reset``, ``reprocess``) are executed by the loop's thread,
between two turns, so only that thread ever writes to the database; ``status`` answers at once.
``publish`` journals an event of the web server (``alert.acknowledged``) the same way, so the
journal has one writer and its events commit in ``seq`` order.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from qlf.config import PYRO_OBJECT_ID, PipelineConfig, read_config
from qlf.pipeline.executors.job import DEFAULT_JOB

__all__ = ["WEB_EVENTS", "PipelineDaemon", "PipelineService", "pyro_daemon", "setup_django"]

log = logging.getLogger("qlf.pipeline")
_TURN_S = 0.1  # longest wait inside one turn: bounds the delay of control calls and events
_ERROR_PAUSE_S = 2.0
WEB_EVENTS = ("alert.acknowledged",)  # events the web server asks the daemon to publish


def setup_django() -> None:
    """Configure Django (``qlf.web.settings`` unless told otherwise) if not done yet."""
    import os

    import django
    from django.apps import apps

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")
    if not apps.ready:
        django.setup()


class PipelineDaemon:
    """The scheduler plus a command queue; thread-safe control methods."""

    def __init__(
        self,
        config: PipelineConfig | None = None,
        *,
        executor=None,
        publisher=None,
        job_function: str = DEFAULT_JOB,
        autostart: bool = True,
        notifier=None,
    ):
        setup_django()
        from qlf.dashboard.events import EventPublisher
        from qlf.dashboard.services.disk_alerts import DiskWatch  # these need Django configured
        from qlf.dashboard.services.notifications import Notifier
        from qlf.pipeline.scheduler import Scheduler

        self.config = config or read_config()
        self.publisher = publisher or EventPublisher()
        self.scheduler = Scheduler(
            self.config, executor=executor, publisher=self.publisher, job_function=job_function
        )
        self.disk_watch = DiskWatch(
            self.publisher, paths=[self.config.data_dir, self.config.scratch_dir]
        )
        self.notifier = notifier or Notifier()  # unacknowledged ALARMs, off site if configured
        self.autostart = autostart
        self._commands: queue.Queue[tuple[Callable[[], Any], Future]] = queue.Queue()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop_ident: int | None = None
        self._pyro = None
        self._started_once = False
        self._autostarting = False  # the first start is pending (retried by the loop)
        self.error = ""  # the last error of the loop, cleared by a good turn
        self._status: dict[str, Any] = self.scheduler.status()

    # -- control (any thread) --------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        self._autostarting = False  # the operator's call decides from now on
        return self._call(self.scheduler.start)

    def stop(self) -> dict[str, Any]:
        self._autostarting = False
        return self._call(self.scheduler.stop)

    def reset(self, confirm: bool = False) -> dict[str, Any]:
        """Clear all processing state; only with ``confirm=True`` (the caller asked the user)."""
        if not confirm:  # what it would delete, for the operator to confirm
            detail = self._call(self.scheduler.reset_preview)
            return {"reset": False, "detail": detail, **self.status()}
        return self._call(self.scheduler.reset)

    def reprocess(self, expid: int, spec_version: str | None = None) -> dict[str, Any]:
        return self._call(lambda: self.scheduler.reprocess(int(expid), spec_version or None))

    def campaign_start(
        self, filters: dict[str, Any], spec_version: str = "", name: str = "", author: str = ""
    ) -> dict[str, Any]:
        """A campaign over the exposures matching ``filters`` (docs/operations.md)."""
        from qlf import __version__

        runner = self.scheduler.campaigns
        return self._call(
            lambda: runner.start(filters=dict(filters), spec_version=spec_version or "",
                                 name=name or "", author=author or "",
                                 pipeline_version=__version__)
        )  # fmt: skip

    def campaign_act(self, campaign_id: int, action: str, author: str = "") -> dict[str, Any]:
        """pause, resume, cancel or promote a campaign."""
        runner = self.scheduler.campaigns
        return self._call(
            lambda: runner.act(campaign_id=int(campaign_id), action=action, author=author or "")
        )

    def campaign_read(self, what: str, campaign_id: int | None = None) -> Any:
        """``list``, ``status`` or ``diff`` (reads, for the command line)."""
        from qlf.dashboard.selectors import campaigns

        readers = {
            "list": lambda: {"campaigns": campaigns.campaign_list()},
            "status": lambda: campaigns.campaign_progress(campaign_id=int(campaign_id)),
            "diff": lambda: campaigns.campaign_diff(campaign_id=int(campaign_id)),
        }
        if what not in readers:
            raise ValueError(f"campaign_read: {what!r} is not one of {', '.join(readers)}")
        return self._call(readers[what])  # in the loop's thread, as every database access

    def publish(self, type: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Journal and send one event from the loop's thread (between turns, in order)."""
        return self._call(lambda: self.publisher.publish(type, payload), timeout=10.0)

    def status(self) -> dict[str, Any]:
        return {
            **self._status,
            "executor": self.config.executor,
            "workers": self.config.workers,
            "last": dict(self.scheduler.last),
            "campaigns": self.scheduler.campaigns.status(),
            "error": self.error,
        }

    # -- running ---------------------------------------------------------------------------

    def run(self, *, until: Callable[[], bool] | None = None, timeout: float | None = None) -> None:
        """Run the loop in this thread until ``shutdown()`` or ``until()`` is true.

        Raises TimeoutError when ``timeout`` seconds pass first (tests drive the daemon so).
        """
        self._loop_ident = threading.get_ident()
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.autostart and self.scheduler.state == "stopped" and not self._started_once:
            self._started_once = self._autostarting = True
        try:
            while not self._halt.is_set():
                if self._autostarting:  # before any control call; retried until it succeeds
                    self._autostart()
                self._run_commands(block=False)
                try:
                    self.disk_watch.poll()
                    self._report_idle_executor()
                    busy = self.scheduler.tick(_TURN_S)
                    self.error = ""
                except Exception as exc:  # e.g. a full disk: report, wait, try again
                    log.exception("pipeline loop error; retrying in %.0f s", _ERROR_PAUSE_S)
                    self.error = f"{type(exc).__name__}: {exc}"
                    self.scheduler.recover()
                    self._halt.wait(_ERROR_PAUSE_S)
                    busy = False
                self.notifier.poll()  # never raises
                self._status = self.scheduler.status()
                if until is not None and until():
                    return
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"pipeline loop: condition not met in {timeout} s")
                if not busy:  # wait for a command or the next discovery scan
                    wait = min(_TURN_S, self.scheduler.seconds_to_next_scan())
                    self._run_commands(block=True, timeout=max(wait, 0.01))
        finally:
            self._loop_ident = None

    def start_background(self, *, serve_pyro: bool = False, loop=None) -> PipelineDaemon:
        """Run the loop in a daemon thread (and the Pyro4 server in another if asked).

        ``loop``: the ASGI server's event loop, so Channels sends are made on it.
        """
        if loop is not None and hasattr(self.publisher, "_loop"):
            self.publisher._loop = loop
        self._halt.clear()
        self._loop_ident = -1  # from now on control calls wait for the loop's thread
        self._thread = threading.Thread(target=self._run_safely, name="qlf-pipeline", daemon=True)
        self._thread.start()
        if serve_pyro:
            self._pyro = pyro_daemon(self)
            threading.Thread(target=self._pyro.requestLoop, name="qlf-pyro", daemon=True).start()
        return self

    def shutdown(self) -> None:
        """Stop the loop and the workers (running jobs are abandoned and resumed next time)."""
        self._halt.set()
        if self._pyro is not None:
            self._pyro.shutdown()
            self._pyro = None
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None
        self.scheduler.executor.shutdown()
        self.notifier.close()
        self._fail_waiting_commands()
        if hasattr(self.publisher, "close"):
            self.publisher.close()

    # -- internals -------------------------------------------------------------------------

    def _report_idle_executor(self) -> None:
        """Publish the executor's alert about jobs no worker takes (the Celery executor's)."""
        check = getattr(self.scheduler.executor, "worker_alert", None)
        alert = check() if check is not None else None
        if alert is not None:
            current = self.scheduler.current
            alert["expid"] = current.expid if current is not None else None
            log.error(alert["text"])
            self.publisher.publish("alert", alert)

    def _autostart(self) -> None:
        """The first start, in the loop: a failure (the database not up yet, ...) is reported
        and retried, never the end of the loop."""
        try:
            self.scheduler.start()
            self._autostarting = False
        except Exception as exc:
            log.exception("pipeline start failed; retrying in %.0f s", _ERROR_PAUSE_S)
            self.error = f"{type(exc).__name__}: {exc}"
            self._halt.wait(_ERROR_PAUSE_S)

    def _run_safely(self) -> None:
        from django.db import connection

        try:
            self.run()
        except Exception:
            log.exception("pipeline loop crashed")
        finally:
            connection.close()

    def _call(self, function: Callable[[], Any], timeout: float = 120.0) -> Any:
        if self._loop_ident in (None, threading.get_ident()):
            result = function()  # no loop running, or called from it: run here
            self._status = self.scheduler.status()
            return result
        future: Future = Future()
        self._commands.put((function, future))
        return future.result(timeout)

    def _run_commands(self, *, block: bool, timeout: float = 0.0) -> None:
        while True:
            try:
                function, future = self._commands.get(block=block, timeout=timeout)
            except queue.Empty:
                return
            block = False
            try:
                future.set_result(function())
            except Exception as exc:
                future.set_exception(exc)
            self._status = self.scheduler.status()

    def _fail_waiting_commands(self) -> None:
        while True:
            try:
                _, future = self._commands.get_nowait()
            except queue.Empty:
                return
            future.set_exception(RuntimeError("pipeline daemon shut down"))


class PipelineService:
    """What Pyro4 exposes: thin wrappers returning plain dicts (serpent-serialisable)."""

    def __init__(self, daemon: PipelineDaemon):
        self._daemon = daemon

    def start(self) -> dict[str, Any]:
        return _plain(self._daemon.start())

    def stop(self) -> dict[str, Any]:
        return _plain(self._daemon.stop())

    def reset(self, confirm: bool = False) -> dict[str, Any]:
        return _plain(self._daemon.reset(confirm=bool(confirm)))

    def status(self) -> dict[str, Any]:
        return _plain(self._daemon.status())

    def reprocess(self, expid: int, spec_version: str | None = None) -> dict[str, Any]:
        from qlf.dashboard.errors import ApplicationError

        try:
            return _plain(self._daemon.reprocess(int(expid), spec_version))
        except ApplicationError as exc:  # a client error, not a transport failure
            return {"queued": None, "detail": exc.message}

    def campaign_start(
        self, filters: dict[str, Any], spec_version: str = "", name: str = "", author: str = ""
    ) -> dict[str, Any]:
        return _answer(lambda: self._daemon.campaign_start(filters, spec_version, name, author))

    def campaign_act(self, campaign_id: int, action: str, author: str = "") -> dict[str, Any]:
        return _answer(lambda: self._daemon.campaign_act(campaign_id, action, author))

    def campaign_read(self, what: str, campaign_id: int | None = None) -> dict[str, Any]:
        return _answer(lambda: self._daemon.campaign_read(what, campaign_id))

    def publish(self, type: str, payload: dict[str, Any]) -> dict[str, Any]:
        if type not in WEB_EVENTS or not isinstance(payload, dict):
            return {"seq": None, "detail": f"events the web may publish: {', '.join(WEB_EVENTS)}"}
        return _plain(self._daemon.publish(type, payload))


def pyro_daemon(daemon: PipelineDaemon):
    """A Pyro4 daemon serving ``daemon`` on the configured host and port, with the HMAC key."""
    import Pyro4

    # Pyro4 4.82's request loop calls Event.isSet(), deprecated since Python 3.10.
    warnings.filterwarnings("ignore", "isSet", DeprecationWarning, r"Pyro4\.")
    Pyro4.config.SERIALIZER = "serpent"
    Pyro4.config.SERIALIZERS_ACCEPTED = {"serpent", "json"}  # never pickle
    config = daemon.config
    server = Pyro4.Daemon(host=config.pyro_host, port=config.pyro_port)
    server._pyroHmacKey = config.hmac_key.encode()
    service = Pyro4.expose(PipelineService)(daemon)
    uri = server.register(service, objectId=PYRO_OBJECT_ID)
    log.info("pipeline daemon listening at %s", uri)
    return server


def _answer(call: Callable[[], Any]) -> dict[str, Any]:
    """The call's answer, or ``{"error": {detail, status_code, extra}}`` for a client error
    (re-raised as such by :mod:`qlf.dashboard.services.pipeline_control`)."""
    from qlf.dashboard.errors import ApplicationError

    try:
        return _plain(call())
    except ApplicationError as exc:
        return {"error": _plain({"detail": exc.message, "status_code": exc.status_code,
                                 "extra": exc.extra})}  # fmt: skip


def _plain(value: Any) -> Any:
    """Only types every serializer carries: dict (str keys), list, str, int, float, bool, None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
