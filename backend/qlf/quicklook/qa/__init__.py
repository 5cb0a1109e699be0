"""QA metrics: one module per metric, each registering a :class:`~.registry.Metric`."""
