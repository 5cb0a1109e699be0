"""``qlf serve | ingest | createoperator | notify-test | manage``: thin wrappers over the
dashboard services."""

from __future__ import annotations

import getpass
import os
import sys

__all__ = ["add_commands"]


def add_commands(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="migrate, then run the web server (daphne, ASGI)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
    serve.set_defaults(func=_serve)

    ingest = subparsers.add_parser("ingest", help="ingest QA JSON files into the database")
    ingest.add_argument("paths", nargs="*", metavar="PATH", help="QA files or folders of them")
    ingest.add_argument(
        "--rebuild", action="store_true", help="ingest every QA file under QLF_SCRATCH_DIR"
    )
    ingest.add_argument(
        "--wipe", action="store_true", help="with --rebuild: delete all exposures first"
    )
    ingest.set_defaults(func=_ingest)

    operator = subparsers.add_parser("createoperator", help="create or update a user with a role")
    operator.add_argument("username")
    operator.add_argument("--role", choices=["operator", "viewer"], default="operator")
    operator.add_argument("--email", default="")
    operator.add_argument(
        "--password-env",
        metavar="VAR",
        help="read the password from this environment variable instead of prompting",
    )
    operator.add_argument("--token", action="store_true", help="print a new API token")
    operator.set_defaults(func=_createoperator)

    notify = subparsers.add_parser(
        "notify-test", help="send a test message to the configured e-mail and chat webhook"
    )
    notify.set_defaults(func=_notify_test)
    token = subparsers.add_parser("token", help="API tokens: create (shown once), list, revoke")
    actions = token.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="a new token of USER; its key is printed once")
    create.add_argument("username")
    create.add_argument("--days", type=float, help="lifetime (default QLF_TOKEN_DAYS, 90)")
    create.add_argument("--name", default="qlf token create", help="what it is for")
    create.set_defaults(func=_token_create)
    listing = actions.add_parser("list", help="tokens (of USER), without their keys")
    listing.add_argument("username", nargs="?")
    listing.set_defaults(func=_token_list)
    revoke = actions.add_parser("revoke", help="revoke the token ID (see list)")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(func=_token_revoke)

    manage = subparsers.add_parser("manage", help="Django's manage.py", add_help=False)
    manage.add_argument("args", nargs="...", help="arguments passed to Django")
    manage.set_defaults(func=_manage)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(args) -> int:
    _setup()
    if not args.no_migrate:
        _migrate()
    _operator_from_env()
    from daphne.cli import CommandLineInterface

    from qlf.config import read_env

    if read_env().embedded_daemon:
        _embed_daemon()
    print(f"QLF serving on http://{args.host}:{args.port}/", file=sys.stderr)
    CommandLineInterface().run(["-b", args.host, "-p", str(args.port), "qlf.web.asgi:application"])
    return 0


def _embed_daemon() -> None:
    """Run the pipeline daemon in this process (embedded mode, DESIGN.md 2).

    It starts once daphne's reactor runs, with that reactor's asyncio loop, so its events are
    sent to the in-memory channel layer from the loop the websocket consumers listen on.
    """
    from daphne.server import twisted_loop  # installs the asyncio reactor on this loop
    from twisted.internet import reactor

    from qlf.dashboard.services.pipeline_control import pipeline_attach
    from qlf.pipeline.daemon import PipelineDaemon

    daemon = PipelineDaemon()
    pipeline_attach(daemon)
    reactor.callWhenRunning(lambda: daemon.start_background(loop=twisted_loop))
    reactor.addSystemEventTrigger("before", "shutdown", daemon.shutdown)
    print("QLF pipeline daemon embedded in the server", file=sys.stderr)


def _operator_from_env() -> None:
    """Create or update the operator named by QLF_OPERATOR_USERNAME / QLF_OPERATOR_PASSWORD."""
    from qlf.config import read_env

    env = read_env()
    if not (env.operator_username and env.operator_password):
        return
    from qlf.dashboard.services.users import user_create

    user_create(username=env.operator_username, password=env.operator_password, role="operator")
    print(f"operator {env.operator_username} is ready", file=sys.stderr)


def _ingest(args) -> int:
    if not args.paths and not args.rebuild:
        raise ValueError("give QA files or folders, or --rebuild")
    if args.wipe and not args.rebuild:
        raise ValueError("--wipe goes with --rebuild")
    _setup()
    _migrate()
    from qlf.dashboard.services.qa_files import qa_files_ingest, qa_rebuild

    if args.rebuild:
        report = qa_rebuild(wipe=args.wipe)
    else:
        report = qa_files_ingest(paths=args.paths)
    for error in report.errors:
        print(f"qlf ingest: {error}", file=sys.stderr)
    print(f"ingested {report.files} QA files of {report.exposures} exposures")
    return 1 if report.errors else 0


def _createoperator(args) -> int:
    _setup()
    _migrate()
    from qlf.dashboard.errors import ApplicationError
    from qlf.dashboard.services.users import user_create, user_token

    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            raise ValueError(f"environment variable {args.password_env} is empty or unset")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
        if password != getpass.getpass("again: "):
            raise ValueError("the passwords differ")
    try:
        user = user_create(
            username=args.username, password=password, role=args.role, email=args.email
        )
    except ApplicationError as exc:
        raise ValueError(exc.message) from exc
    print(f"{args.role} {user.username} is ready")
    if args.token:
        print(user_token(user=user))
    return 0


def _notify_test(args) -> int:
    """One test message per configured channel: 0 if all went, 1 if one failed, 2 if none is
    configured (nothing leaves the site unless configured)."""
    _setup()
    from django.conf import settings

    from qlf.dashboard.services.notify_channels import notify_channels

    channels = notify_channels(settings.QLF["NOTIFY"])
    if not channels:
        print("no notification is configured: see docs/configuration.md", file=sys.stderr)
        return 2
    failed = 0
    for name, send in channels.items():
        try:
            send("QLF: test notification", _TEST_TEXT)
        except Exception as exc:  # the reason, whatever the transport raised
            print(f"{name}: FAILED {type(exc).__name__}: {exc}")
            failed += 1
        else:
            print(f"{name}: sent")
    return 1 if failed else 0


_TEST_TEXT = "A test from `qlf notify-test`: QLF sends ALARMs left unacknowledged here.\n"


def _token_create(args) -> int:
    _setup()
    from django.contrib.auth import get_user_model

    from qlf.dashboard.errors import ApplicationError
    from qlf.dashboard.services.tokens import token_create

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise ValueError(f"no user {args.username}")
    try:
        new = token_create(user=user, name=args.name, days=args.days)
    except ApplicationError as exc:
        raise ValueError(exc.message) from exc
    until = f"{new.token.expires:%Y-%m-%d %H:%M} UTC"
    print(f"token {new.token.pk} of {user.username}, valid until {until}; its key (shown once, "
          "only its digest is stored):")  # fmt: skip
    print(new.key)
    return 0


def _token_list(args) -> int:
    _setup()
    from qlf.dashboard.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if args.username:
        tokens = tokens.filter(user__username=args.username)
    print(f"{'id':>6}  {'user':<16} {'prefix':<9} {'expires':<17} {'state':<8} name")
    for t in tokens:
        state = "revoked" if t.revoked else "valid"
        print(f"{t.pk:>6}  {t.user.username:<16} {t.prefix:<9} {t.expires:%Y-%m-%d %H:%M} "
              f"{state:<8} {t.name}")  # fmt: skip
    return 0


def _token_revoke(args) -> int:
    _setup()
    from qlf.dashboard.errors import ApplicationError
    from qlf.dashboard.services.tokens import token_revoke

    try:
        token = token_revoke(token_id=args.token_id, by=None)
    except ApplicationError as exc:
        raise ValueError(exc.message) from exc
    print(f"token {token.pk} of {token.user.username} revoked")
    return 0


def _manage(args) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qlf manage", *args.args])
    return 0
