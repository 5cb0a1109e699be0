"""The simulated instrument: raw exposures, fibermaps and calibration in the DESI formats.

>>> from qlf.sim import simulate_exposure
>>> result = simulate_exposure("/data", expid=1, night=20261122, flavor="science")

See ``docs/simulator.md`` for the command line (``qlf sim exposure``, ``qlf sim night``).
"""

from qlf.sim.calibration import ensure_calibration
from qlf.sim.defects import DEFECT_KINDS, Defect, parse_defect
from qlf.sim.exposure import ExposureResult, raw_path, simulate_exposure, truth_path
from qlf.sim.profiles import PROFILES, Profile, get_profile

__all__ = [
    "DEFECT_KINDS",
    "PROFILES",
    "Defect",
    "ExposureResult",
    "Profile",
    "ensure_calibration",
    "get_profile",
    "parse_defect",
    "raw_path",
    "simulate_exposure",
    "truth_path",
]
