"""Roles of DESIGN.md 10: anonymous sees nothing, viewers read, operators act, admins manage."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

__all__ = [
    "OPERATORS",
    "VIEWERS",
    "IsOperator",
    "IsViewer",
    "IsViewerReadAdminWrite",
    "IsViewerReadOperatorWrite",
    "roles",
]

VIEWERS = "viewers"
OPERATORS = "operators"


def roles(user) -> list[str]:
    """The roles of ``user``: a subset of ["viewer", "operator", "admin"]."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return ["viewer", "operator", "admin"]
    groups = set(user.groups.values_list("name", flat=True))
    found = []
    if groups & {VIEWERS, OPERATORS} or user.is_staff:
        found.append("viewer")
    if OPERATORS in groups:
        found.append("operator")
    if user.is_staff:
        found.append("admin")
    return found


def _has(request, role: str) -> bool:
    cache = getattr(request, "_qlf_roles", None)
    if cache is None:
        cache = roles(request.user)
        request._qlf_roles = cache
    return role in cache


class IsViewer(BasePermission):
    message = "You must be signed in as a viewer or operator."

    def has_permission(self, request, view) -> bool:
        return _has(request, "viewer")


class IsOperator(BasePermission):
    message = "This action is for operators only."

    def has_permission(self, request, view) -> bool:
        return _has(request, "operator")


class IsViewerReadOperatorWrite(BasePermission):
    message = "Viewers can read; changes are for operators only."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return _has(request, "viewer")
        return _has(request, "operator")


class IsViewerReadAdminWrite(BasePermission):
    message = "Viewers can read; changes are for admins only."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return _has(request, "viewer")
        return _has(request, "admin")
