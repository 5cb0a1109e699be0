"""The metric registry: every module of this package registers its metric by name.

Adding a metric is one module here (a :class:`Metric` subclass decorated with
:func:`register`), one entry in ``ql_mapping/<flavor>.json`` and its thresholds in ``specs/``.
The runner finds it by the name used in the mapping; nothing else lists metrics.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from bokeh.models import LayoutDOM

    from qlf.quicklook.plots.common import PlotInput
    from qlf.quicklook.products import CameraProducts

__all__ = ["REASON", "Metric", "all_metrics", "get_metric", "register"]

_REGISTRY: dict[str, type[Metric]] = {}
_PLUGINS_LOADED = False
GRANULARITIES = ("amp", "camera", "fiber", "class")
#: optional entry of a metric's values: a sentence saying why the value is missing or bad; the
#: runner moves it to the task's ``REASONS`` when the metric is not NORMAL
REASON = "REASON"


class Metric(ABC):
    """Base class of a QA metric.

    Subclasses set the class attributes and implement :meth:`compute`, which returns a dict
    holding ``key`` (the graded value: number, list per amp/element, or label → number) and
    any auxiliary arrays for plots (ungraded, e.g. per-fiber values), and optionally
    :data:`REASON` (why the value is None or bad, for the QA's REASONS). :meth:`plot` draws
    them; override it for a picture better than the granularity's default.
    """

    name: ClassVar[str]
    key: ClassVar[str]
    granularity: ClassVar[str]
    flavors: ClassVar[tuple[str, ...]]
    units: ClassVar[str] = ""
    description: ClassVar[str] = ""

    #: arms the metric applies to (e.g. SKYRBAND: r only)
    arms: ClassVar[tuple[str, ...]] = ("b", "r", "z")
    #: whether the value goes through the throughput (absolute magnitudes): the step's PARAMS
    #: then record which throughput graded it (``THROUGHPUT``)
    uses_throughput: ClassVar[bool] = False

    @abstractmethod
    def compute(self, products: CameraProducts) -> dict[str, Any]:
        """The metric's values for one camera."""

    def plot(self, qa: PlotInput) -> LayoutDOM:
        """The metric's drill-down plot (a Bokeh layout) from one camera's QA.

        The default draws the graded value by granularity (per amp, per class, the camera
        value's elements, per fiber) with its bands; metrics with more to show override it.
        """
        from qlf.quicklook.plots.defaults import DEFAULT_PLOTS

        return DEFAULT_PLOTS[self.granularity](qa)

    def applies_to(self, *, flavor: str, camera: str) -> bool:
        return flavor in self.flavors and camera[0] in self.arms


def register(cls: type[Metric]) -> type[Metric]:
    """Class decorator: add a metric to the registry under ``cls.name``."""
    for attr in ("name", "key", "granularity", "flavors"):
        if not hasattr(cls, attr):
            raise TypeError(f"metric {cls.__name__} lacks the class attribute {attr!r}")
    if cls.granularity not in GRANULARITIES:
        raise TypeError(f"metric {cls.name}: granularity must be one of {GRANULARITIES}")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise TypeError(f"two metrics are named {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "registry":
            importlib.import_module(f"{__package__}.{module.name}")
    _PLUGINS_LOADED = True


def get_metric(name: str) -> Metric:
    """An instance of the metric registered as ``name``; KeyError names the unknown metric."""
    _load_plugins()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(
            f"no QA metric named {name!r} (known: {', '.join(sorted(_REGISTRY))})"
        ) from None


def all_metrics() -> dict[str, type[Metric]]:
    _load_plugins()
    return dict(_REGISTRY)
