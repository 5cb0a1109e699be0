"""The Celery application: ``celery -A qlf worker`` runs the pipeline's camera jobs.

A worker runs on any node that sees the data, calibration and scratch directories at the same
paths as the daemon. Broker: ``QLF_CELERY_BROKER``, else ``REDIS_URL``, else the local Redis.
Jobs go to the queue ``QLF_CELERY_QUEUE`` (default ``qlf``); give a worker ``-Q`` to match.
Campaign jobs (docs/operations.md) go to ``QLF_CELERY_CAMPAIGN_QUEUE`` (default ``qlf-campaign``),
for workers of their own: ``celery -A qlf worker -Q qlf-campaign``.
"""

from __future__ import annotations

import os

from celery import Celery

__all__ = ["app"]

app = Celery(
    "qlf",
    broker=os.environ.get("QLF_CELERY_BROKER")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/0",
    include=["qlf.pipeline.executors.celery"],
)
app.conf.update(
    task_serializer="json",  # plain JSON specs and results: never pickle
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,  # results and step events go back on the daemon's reply list
    task_default_queue=os.environ.get("QLF_CELERY_QUEUE", "qlf"),
    worker_prefetch_multiplier=1,  # one camera at a time per process: no job waits behind another
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
