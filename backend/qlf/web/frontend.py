"""The built web application (``frontend/dist``, made by ``npm run build``) served by Django.

Embedded mode has no nginx: ``/assets/...`` are the bundle's hashed files (cached for a year),
every other path that is not the API, the admin, static files or the websocket answers
``index.html`` so the browser's router handles it. Without a build, a 503 says how to make one.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.urls import re_path
from django.views.decorators.http import require_GET

from qlf.paths import REPO_DIR

__all__ = ["frontend_dist", "urlpatterns"]

_MISSING = (
    "The web application is not built: run `cd frontend && npm ci && npm run build` "
    "(./start.sh does it), then reload. The API is at /api/.\n"
)


def frontend_dist() -> Path:
    """Where the build lives (``QLF_FRONTEND_DIST`` overrides ``frontend/dist``)."""
    return Path(os.environ.get("QLF_FRONTEND_DIST") or REPO_DIR / "frontend" / "dist")


@require_GET
def index(request, path: str = ""):
    page = frontend_dist() / "index.html"
    if not page.is_file():
        return HttpResponse(_MISSING, status=503, content_type="text/plain; charset=utf-8")
    response = FileResponse(page.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # always the newest build's asset names
    return response


@require_GET
def asset(request, name: str):
    root = (frontend_dist() / "assets").resolve()
    try:  # a null byte or an overlong name is no asset either (ValueError, OSError)
        target = (root / name).resolve()
        found = target.is_relative_to(root) and target.is_file()
    except (ValueError, OSError):
        found = False
    if not found:
        raise Http404("no such asset")
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=kind)
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # names carry a hash
    return response


urlpatterns = [
    re_path(r"^assets/(?P<name>[^?#]+)$", asset, name="frontend-asset"),
    re_path(r"^(?!api/|admin/|static/|ws/)(?P<path>.*)$", index, name="frontend"),
]
