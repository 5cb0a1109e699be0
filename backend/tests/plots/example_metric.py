"""An example metric, as a metric developer would add it to ``qlf/quicklook/qa/``.

The test registers it (a module in ``qa/`` registers itself when the registry loads the package)
and gives it a ql_mapping entry and thresholds in temporary folders: see docs/adding-a-metric.md.
"""

from __future__ import annotations

import numpy as np

from qlf.quicklook.qa.registry import Metric

__all__ = ["MeanFluxAmp"]


class MeanFluxAmp(Metric):
    name = "meanflux"
    key = "MEAN_FLUX_AMP"
    granularity = "amp"
    flavors = ("science",)
    units = "e-/px"
    description = "Mean preprocessed flux of each amplifier's pixels."

    def compute(self, products):
        pre = products.preproc
        means = [float(np.mean(pre.amp_pixels(i))) for i in range(len(pre.amp_names))]
        return {self.key: means, "MEAN_FLUX_ALL": float(np.mean(pre.image))}
