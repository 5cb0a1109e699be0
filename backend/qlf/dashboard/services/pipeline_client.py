"""Reaching a running daemon: a Pyro4 proxy with the HMAC key and the serpent serializer."""

from __future__ import annotations

from qlf.config import PipelineConfig, pipeline_uri, read_config

__all__ = ["pipeline_proxy"]


def pipeline_proxy(url: str | None = None, *, config: PipelineConfig | None = None, timeout=5.0):
    """A proxy of the daemon at ``url`` (default: ``QLF_PYRO_HOST``/``QLF_PYRO_PORT``)."""
    import Pyro4

    config = config or read_config()
    proxy = Pyro4.Proxy(url or pipeline_uri(config))
    proxy._pyroSerializer = "serpent"
    proxy._pyroHmacKey = config.hmac_key.encode()
    proxy._pyroTimeout = timeout
    return proxy
