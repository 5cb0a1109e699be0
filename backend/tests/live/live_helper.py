"""Run in a subprocess by the live tests (the server's database, not pytest-django's).

``setup``: migrate, create the users and a job with a log file; print their tokens and ids.
``publish EVENTS_JSON``: publish ``[[type, payload], ...]`` like the daemon does, then wait
until the channel layer has sent them.
"""

from __future__ import annotations

import json
import os
import sys

import django

PASSWORD = "pw-x83!kq-live"  # a test database's users only


def setup() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from qlf.dashboard.models import Exposure, Job, Process
    from qlf.dashboard.services.users import user_create, user_token

    call_command("migrate", interactive=False, verbosity=0)
    tokens = {}
    for name, role in (("op", "operator"), ("viewer", "viewer")):
        tokens[name] = user_token(user=user_create(username=name, password=PASSWORD, role=role))
    from django.contrib.auth.models import User

    tokens["nobody"] = user_token(user=User.objects.create_user("nobody", password="x"))
    scratch = os.environ["QLF_SCRATCH_DIR"]
    log_path = os.path.join(scratch, "r3.log")
    with open(log_path, "w") as handle:
        handle.write("line 1\nline 2\n")
    now = timezone.now()
    exposure = Exposure.objects.create(
        expid=7, night=20260101, flavor="science", dateobs=now, exptime=900.0
    )
    process = Process.objects.create(
        exposure=exposure, night=20260101, flavor="science", status="done", started=now
    )
    Job.objects.create(process=process, camera="r3", status="done", log_path=log_path)
    Job.objects.create(process=process, camera="b3", status="done", log_path="/etc/passwd")
    print(json.dumps({"tokens": tokens, "process_id": process.pk, "password": PASSWORD}))


def publish(events: list) -> None:
    from qlf.dashboard.events import EventPublisher

    publisher = EventPublisher()
    seqs = [publisher.publish(type, payload)["seq"] for type, payload in events]
    publisher.close()
    print(json.dumps(seqs))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")
    django.setup()
    if sys.argv[1] == "setup":
        setup()
    else:
        publish(json.loads(sys.argv[2]))
