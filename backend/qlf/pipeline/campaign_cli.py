"""``qlf campaign``: start, list, follow and control campaigns of a running daemon (Pyro4).

The daemon is reached as ``qlf daemon --call`` reaches it (``QLF_PYRO_HOST``/``QLF_PYRO_PORT``
and the HMAC key): a standalone ``qlf daemon`` (compose, cluster). A daemon embedded in ``qlf
serve`` serves no Pyro4: use the Campaigns screen or ``/api/campaigns/`` there.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from typing import Any

__all__ = ["add_commands", "format_progress"]

ACTIONS = ("pause", "resume", "cancel", "promote")
FLAVORS = ("zero", "dark", "flat", "arc", "science")
PROGRAMS = ("DARK", "GRAY", "BRIGHT")


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "campaign",
        help="reprocess nights at low priority, compare, promote (docs/operations.md)",
        description="Campaigns run a threshold version again over stored exposures without "
        "delaying live data; their results replace the shown ones only once promoted.",
    )
    parser.add_argument("--json", action="store_true", help="print the daemon's answer as JSON")
    which = parser.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    start = which.add_parser("start", help="start a campaign over a night or a night range")
    start.add_argument("--night", type=int, help="one night, YYYYMMDD")
    start.add_argument("--from", dest="night_from", type=int, help="first night, YYYYMMDD")
    start.add_argument("--to", dest="night_to", type=int, help="last night, YYYYMMDD")
    start.add_argument("--flavor", type=_choices(FLAVORS), help="e.g. science,arc")
    start.add_argument("--program", type=_choices(PROGRAMS), help="e.g. DARK,GRAY")
    start.add_argument("--tile", type=int)
    start.add_argument("--spec-version", default="", help="threshold version (default: in force)")
    start.add_argument("--name", default="", help="a label for the screens")
    which.add_parser("list", help="the newest campaigns and their progress")
    status = which.add_parser("status", help="one campaign's progress")
    status.add_argument("id", type=int)
    status.add_argument("--watch", action="store_true", help="every 2 s until it ends")
    for action in ACTIONS:
        which.add_parser(action, help=f"{action} a campaign").add_argument("id", type=int)
    diff = which.add_parser("diff", help="exposures and cameras whose grade it changes")
    diff.add_argument("id", type=int)
    parser.set_defaults(func=_run)


def format_progress(p: dict[str, Any]) -> str:
    """One line: ``campaign 3 running  12/40 done, 1 failed, 27 left  340/h  ETA 4m46s``."""
    finished = p["done"] + p["failed"]
    parts = [f"campaign {p['id']} {p['state']:<9}", f"{finished}/{p['total']} finished",
             f"{p['failed']} failed", f"{p['remaining']} left"]  # fmt: skip
    if p.get("aborted"):
        parts.append(f"{p['aborted']} aborted")
    if p.get("rate_per_hour"):
        parts.append(f"{p['rate_per_hour']:.0f} exposures/h")
    if p.get("eta_s"):
        parts.append(f"ETA {_duration(p['eta_s'])}")
    version = p.get("spec_version") or "thresholds in force"
    return "  ".join(parts) + f"  [{version}]"


def _run(args: argparse.Namespace) -> int:
    import Pyro4.errors

    from qlf.config import pipeline_uri, read_config
    from qlf.dashboard.services.pipeline_client import pipeline_proxy

    config = read_config()
    proxy = pipeline_proxy(config=config, timeout=120)
    author = f"{getpass.getuser()} (cli)"
    command = args.campaign_command
    try:
        if command == "start":
            filters = {
                k: getattr(args, k)
                for k in ("night", "night_from", "night_to", "flavor", "program", "tile")
                if getattr(args, k) not in (None, [])
            }
            answer = proxy.campaign_start(filters, args.spec_version, args.name, author)
        elif command in ACTIONS:
            answer = proxy.campaign_act(args.id, command, author)
        elif command == "list":
            answer = proxy.campaign_read("list", None)
        else:
            answer = proxy.campaign_read(command, args.id)
            while command == "status" and args.watch and _printable(answer, args):
                if answer["state"] not in ("running", "paused", "promoting"):
                    return 0
                time.sleep(2)
                answer = proxy.campaign_read("status", args.id)
    except Pyro4.errors.PyroError as exc:  # the daemon is not there, or refused our key
        raise ValueError(f"pipeline daemon not reachable at {pipeline_uri(config)}: {exc}") from exc
    return 0 if _printable(answer, args) else 2


def _printable(answer: dict[str, Any], args) -> bool:
    """Print ``answer``; False if it is an error."""
    if "error" in answer:
        print(f"qlf campaign: error: {answer['error']['detail']}", file=sys.stderr)
        return False
    if args.json:
        json.dump(answer, sys.stdout, indent=2)
        print()
    elif "campaigns" in answer:
        for progress in answer["campaigns"]:
            print(format_progress(progress))
        if not answer["campaigns"]:
            print("no campaign yet")
    elif "changed" in answer:
        print(f"campaign {answer['campaign_id']}: {answer['changed_exposures']} of "
              f"{answer['exposures']} exposures and {answer['changed_cameras']} of "
              f"{answer['cameras']} cameras change grade")  # fmt: skip
        for row in answer["changed"]:
            cameras = ", ".join(
                f"{c['camera']} {c['before']}->{c['after']}" for c in row["cameras"]
            )
            print(f"  {row['expid']:>8} {row['night']} {row['flavor']:<8} "
                  f"{row['before']}->{row['after']}: {cameras}")  # fmt: skip
    else:
        print(format_progress(answer))
        for skipped in answer.get("skipped", []):
            print(f"  skipped {skipped['expid']}: {skipped['reason']}")
    sys.stdout.flush()
    return True


def _choices(allowed: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        wrong = [t for t in items if t not in allowed]
        if wrong:
            raise argparse.ArgumentTypeError(f"{', '.join(wrong)}: not one of {', '.join(allowed)}")
        return items

    return parse


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
