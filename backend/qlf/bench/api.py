"""``qlf bench api``: ingestion and API timings at survey scale (DESIGN.md 9).

Loads five survey years (150,000 exposures by default) into a throwaway Postgres database, then
times the ingestion of full 30-camera science exposures through the real services, and the
history and trend endpoints through the full Django stack (middleware, auth, serialisation).
"""

from __future__ import annotations

import os
import time

import numpy as np

__all__ = ["add_arguments", "run"]

BUDGETS_MS = {"ingest camera": 20, "ingest exposure": 500, "history page": 100, "trend year": 300}


def add_arguments(parser) -> None:
    parser.add_argument("--exposures", type=int, default=150_000)
    parser.add_argument(
        "--metric-nights",
        type=int,
        default=365,
        help="nights with per-exposure metric rows (every night has statistics)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "QLF_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qlf_bench"
        ),
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    parser.add_argument("--repeat", type=int, default=20, help="requests per URL")
    parser.add_argument("--ingest-exposures", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget is exceeded")


def run(args) -> int:
    loaded = _prepare_database(args.database_url, reuse=args.reuse)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from qlf.bench.history_data import load_history
    from qlf.dashboard.models import Exposure

    if not loaded or Exposure.objects.count() < args.exposures:
        t0 = time.perf_counter()
        load_history(exposures=args.exposures, metric_nights=args.metric_nights)
        print(f"loaded {args.exposures} exposures in {time.perf_counter() - t0:.0f} s")
    results = {**_ingest(args), **_api(args)}
    failed = _report(results)
    return 1 if failed and args.strict else 0


def _prepare_database(url: str, *, reuse: bool) -> bool:
    """Point Django at ``url``; recreate the database unless reusing. True if it was kept."""
    import dj_database_url
    import psycopg

    name = dj_database_url.parse(url)["NAME"]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}"')
        if not exists or not reuse:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")
    import django

    django.setup()
    return bool(exists and reuse)


def _ingest(args) -> dict[str, list[float]]:
    from qlf.bench.history_data import CAMERAS
    from qlf.bench.qa_documents import science_qa
    from qlf.dashboard.models import Exposure
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
    from qlf.dashboard.services.processes import process_finish, process_start
    from qlf.dashboard.services.qa_ingest import job_ingest_qa

    last = Exposure.objects.order_by("-expid").first()
    cameras_ms, exposures_ms, cpu_ms = [], [], []
    for k in range(args.ingest_exposures):
        expid = last.expid + 1 + k
        docs = [science_qa(expid, camera, night=last.night, mjd=last.mjd) for camera in CAMERAS]
        t0 = time.perf_counter()
        exposure_register(**exposure_fields_from_header({**docs[0]["GENERAL_INFO"], **docs[0]}))
        process = process_start(expid=expid, cameras=CAMERAS)
        for doc in docs:
            t1, c1 = time.perf_counter(), time.process_time()
            job_ingest_qa(process_id=process.pk, qa=doc)
            cameras_ms.append((time.perf_counter() - t1) * 1000)
            cpu_ms.append((time.process_time() - c1) * 1000)
        process_finish(process_id=process.pk)
        exposures_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "ingest camera": cameras_ms,
        "ingest camera, this process's CPU": cpu_ms,
        "ingest exposure": exposures_ms,
    }


def _api(args) -> dict[str, list[float]]:
    from django.test import Client

    from qlf.dashboard.models import Exposure
    from qlf.dashboard.services.users import user_create

    user = user_create(username="bench-viewer", password="bench-viewer-password-x", role="viewer")
    client = Client()
    client.force_login(user)
    last = Exposure.objects.order_by("-expid").first().night
    first_of_year = last - 10000  # the same date a year before
    history = [
        "/api/exposures/",
        f"/api/exposures/?page={max(1, Exposure.objects.count() // 100)}",
        "/api/exposures/?ordering=-airmass",
        "/api/exposures/?flavor=science&program=DARK&ordering=night",
        f"/api/exposures/?night_from={first_of_year}&night_to={last}&ordering=-seeing",
        "/api/processes/",
        "/api/processes/?status=done&flavor=arc&ordering=-started",
        "/api/processes/?qa_status=ALARM&ordering=-duration_s",
        "/api/processes/recent/",
    ]
    trend = f"/api/trends/?key=BIAS_AMP&night_from={first_of_year}&night_to={last}"
    month = last // 100 * 100 + 1  # the first night of the last month
    others = {
        "trend year": trend,
        "trend month 1 camera (exposures)": (
            f"/api/trends/?key=BIAS_AMP&cameras=r3&night_from={month}&night_to={last}"
        ),
        "conditions, one month": f"/api/conditions/?night_from={month}&night_to={last}",
        "survey footprint, all tiles": "/api/survey/",
        "process detail (30 jobs)": f"/api/processes/{_last_process_id()}/",
    }
    results: dict[str, list[float]] = {"history page": [], **{name: [] for name in others}}
    for url, name in [(u, "history page") for u in history] + [(u, n) for n, u in others.items()]:
        client.get(url)  # warm-up
        cpu = results.setdefault(f"{name}, this process's CPU", [])
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            results[name].append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200, (url, response.content[:200])
    return results


def _last_process_id() -> int:
    from qlf.dashboard.models import Process

    return Process.objects.order_by("-id").values_list("id", flat=True).first()


def _report(results: dict[str, list[float]]) -> bool:
    failed = False
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'measure':36s} {'n':>5s} {'mean ms':>9s} {'p50 ms':>9s} {'p95 ms':>9s} {'budget':>8s}")
    for name, values in results.items():
        v = np.asarray(values)
        budget = BUDGETS_MS.get(name)
        p95 = float(np.percentile(v, 95))
        verdict = "" if budget is None else ("PASS" if p95 <= budget else "FAIL")
        failed |= verdict == "FAIL"
        print(
            f"{name:36s} {v.size:5d} {v.mean():9.1f} {np.median(v):9.1f} {p95:9.1f} "
            f"{'' if budget is None else budget:>8} {verdict}"
        )
    return failed
