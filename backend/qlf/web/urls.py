"""Top-level routes: the API (with its schema and local docs) and the admin."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from qlf.dashboard.errors import json_404

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", permission_classes=[AllowAny]),
        name="api-redoc",
    ),
    path("api/", include("qlf.dashboard.api.urls")),
    re_path(r"^api/", json_404),  # unknown API paths answer JSON, not an HTML page
    path("", include("qlf.web.frontend")),  # the web application (frontend/dist), last
]

handler404 = "qlf.dashboard.errors.json_404"
handler500 = "qlf.dashboard.errors.json_500"
