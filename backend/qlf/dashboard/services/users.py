"""Accounts: the viewers and operators groups, and creating their users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.permissions import OPERATORS, VIEWERS
from qlf.dashboard.services.tokens import token_create

__all__ = ["user_create", "user_token"]


@transaction.atomic
def user_create(*, username: str, password: str, role: str = "operator", email: str = ""):
    """Create (or update the password and role of) a viewer or an operator."""
    if role not in ("viewer", "operator"):
        raise ApplicationError(f"role must be viewer or operator, not {role!r}")
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), extra={"field": "password"}) from exc
    user.email = email or user.email
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=VIEWERS)[0])
    if role == "operator":
        user.groups.add(Group.objects.get_or_create(name=OPERATORS)[0])
    return user


def user_token(*, user, name: str = "") -> str:
    """A new API token of ``user`` for scripts: its key, shown once (only a digest is kept)."""
    return token_create(user=user, name=name).key
