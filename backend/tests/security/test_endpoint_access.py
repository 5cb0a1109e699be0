"""Every route of the URL configuration, called as every role (table: endpoint_access.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from qlf.dashboard.errors import json_404
from qlf.dashboard.models import Job
from tests.dashboard.factories import ingest_exposure
from tests.security.conftest import PASSWORDS
from tests.security.endpoint_access import ACCESS, PATH_EXAMPLES, ROLES

pytestmark = pytest.mark.django_db

# Query strings and bodies that make a call meaningful (else a 400 hides nothing either: the
# permission check comes first). "{process}" is the id of the test's process.
QUERIES = {
    "trends": {"key": "BIAS_AMP"},
    "plot-metric": {"process": "{process}", "camera": "r3"},
    "plot-ccd": {"process": "{process}", "camera": "r3"},
    "plot-spectra": {"process": "{process}", "camera": "r3", "fiber": "0"},
}
BODIES = {
    "auth-login": {"username": "viewer", "password": PASSWORDS["viewer"]},
    "auth-token": {"username": "viewer", "password": PASSWORDS["viewer"]},
    "process-comments": {"text": "r3 looks fine"},
    "pipeline-reprocess": {"expid": 42},
    "campaign-list": {"night": "20261122", "spec_version": "2026-01-01"},
}


def _routes(patterns=None, prefix: str = "", namespace: str = ""):
    """``(route, name, pattern)`` of every URL pattern, resolvers included recursively."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def _api_routes():
    return [(r, n, p) for r, n, p in _routes() if r.lstrip("^").startswith("api/")]


def _methods(pattern: URLPattern) -> set[str]:
    view = getattr(pattern.callback, "view_class", None)
    if view is None:
        return {"GET"}
    names = getattr(pattern.callback, "view_initkwargs", {}).get("http_method_names")
    names = names or view.http_method_names
    return {m.upper() for m in names if hasattr(view, m) and m not in ("options", "head")}


def test_every_api_route_has_a_row():
    missing, unnamed = [], []
    for route, name, pattern in _api_routes():
        if pattern.callback is json_404:
            continue  # the JSON 404 of unknown API paths
        if name is None:
            unnamed.append(route)
        elif name not in ACCESS:
            missing.append(f"{name} ({route})")
        else:
            extra = _methods(pattern) - set(ACCESS[name])
            if extra:
                missing.append(f"{name} ({route}): methods {sorted(extra)}")
    assert not unnamed, f"API routes without a name= (the table's key): {unnamed}"
    assert not missing, f"add these to tests/security/endpoint_access.py: {missing}"


def test_every_row_is_a_route_with_known_roles():
    names = {name for _, name, _ in _routes() if name}
    assert set(ACCESS) <= names, f"rows without a route: {sorted(set(ACCESS) - names)}"
    for name, methods in ACCESS.items():
        for method, role in methods.items():
            assert method == method.upper() and role in ROLES, (name, method, role)


@pytest.fixture
def examples(role_users, fake_daemon) -> dict[str, str]:
    process = ingest_exposure(42, cameras=("r3",))
    return {"process": str(process.pk), "job": str(Job.objects.get(process=process).pk)}


def _url(name: str, examples: dict[str, str]) -> str:
    pattern = next(p for _, n, p in _routes() if n == name)
    params = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    unknown = [p for p in params if p not in PATH_EXAMPLES]
    assert not unknown, f"add an example of {unknown} to PATH_EXAMPLES in endpoint_access.py"
    kwargs = {p: PATH_EXAMPLES[p].format(**examples) for p in params}
    return reverse(name, kwargs=kwargs)


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


CASES = [(name, method) for name, methods in ACCESS.items() for method in methods]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_each_role_gets_what_the_table_says(name, method, role_users, examples):
    url = _url(name, examples)
    query = {k: v.format(**examples) for k, v in QUERIES.get(name, {}).items()}
    minimum = ROLES.index(ACCESS[name][method])
    for rank, role in enumerate(ROLES):
        client = _client(role_users[role])
        if method == "GET":
            response = client.get(url, query)
        else:
            call = getattr(client, method.lower())
            response = call(url, BODIES.get(name, {}), format="json", QUERY_STRING="")
        status = response.status_code
        if rank < minimum:
            expected = (401, 403) if role == "anonymous" else (403,)
            assert status in expected, f"{method} {url} as {role}: {status}, expected {expected}"
        else:
            assert status not in (401, 403, 405), f"{method} {url} as {role}: {status}"
            assert status < 500, f"{method} {url} as {role}: {status} {response.content[:300]}"


def test_a_user_without_a_role_is_refused_everything_but_anonymous_routes(examples, db):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x-long-password-1")
    client = _client(nobody)
    for name, methods in ACCESS.items():
        for method, role in methods.items():
            if role == "anonymous":
                continue
            response = getattr(client, method.lower())(_url(name, examples))
            assert response.status_code == 403, (name, method, response.status_code)
