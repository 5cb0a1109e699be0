"""Websocket routes: the live monitor feed (DESIGN.md 7)."""

from django.urls import path

from qlf.dashboard.consumers import MonitorConsumer

__all__ = ["websocket_urlpatterns"]

websocket_urlpatterns = [path("ws/monitor/", MonitorConsumer.as_asgi())]
