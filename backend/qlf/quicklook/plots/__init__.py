"""Bokeh drill-down plots of the QA metrics (pure Bokeh, no Django).

Every metric's plot is its plugin's :meth:`~qlf.quicklook.qa.registry.Metric.plot`; this
package holds what they share (:mod:`.common`), the defaults by granularity (:mod:`.defaults`),
building a plot from a QA document (:mod:`.build`) and the CCD image and spectra viewers of the
per-camera products file (:mod:`.images`).
"""
