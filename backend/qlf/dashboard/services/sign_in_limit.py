"""The sign-in limit: per client address, with a back-off that doubles.

An address may fail :data:`LOGIN_FAILURES` times within a window of :data:`LOGIN_WINDOW_S`;
then it is refused until ``since + LOGIN_WINDOW_S × 2^level`` (``since``: the window's first
failure), and each further block from the same address lasts twice as long (up to
:data:`MAX_BLOCK_S`). A success from the address starts afresh, and so does a window that ends
without a block. Counting the address, not the account, means that an attacker holds back only
itself: the night crew, at other addresses, signs in to the same account. The counts are rows
of :class:`SignInThrottle`, shared by every server process.
"""

from __future__ import annotations

import math
import time

from django.db import transaction

from qlf.dashboard.models import SignInThrottle

__all__ = [
    "LOGIN_FAILURES",
    "LOGIN_WINDOW_S",
    "MAX_BLOCK_S",
    "sign_in_failed",
    "sign_in_succeeded",
    "sign_in_wait",
]  # fmt: skip

LOGIN_FAILURES = 10
LOGIN_WINDOW_S = 300
MAX_BLOCK_S = 24 * 3600
_FORGET_S = 2 * MAX_BLOCK_S  # rows untouched this long are deleted


def _until(row: SignInThrottle) -> float:
    return row.since + min(LOGIN_WINDOW_S * 2**row.level, MAX_BLOCK_S)


def sign_in_wait(address: str) -> int:
    """Seconds ``address`` must wait before it may try to sign in (0: now)."""
    row = SignInThrottle.objects.filter(address=address).first()
    if row is None or row.failures < LOGIN_FAILURES:
        return 0
    return max(0, math.ceil(_until(row) - time.time()))


@transaction.atomic
def sign_in_failed(address: str) -> None:
    now = time.time()
    row = SignInThrottle.objects.select_for_update().filter(address=address).first()
    if row is None:
        SignInThrottle.objects.filter(updated__lt=now - _FORGET_S).delete()
        row = SignInThrottle(address=address, failures=0, since=now, level=0)
    elif now >= _until(row):  # the window (or the block) is over
        blocked = row.failures >= LOGIN_FAILURES
        row.level = min(row.level + 1, 20) if blocked else 0
        row.failures, row.since = 0, now
    row.failures += 1
    row.updated = now
    row.save()


def sign_in_succeeded(address: str) -> None:
    SignInThrottle.objects.filter(address=address).delete()
