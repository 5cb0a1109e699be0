"""Manual check at true DESI size (not collected by pytest; minutes of CPU):

    cd backend && PYTHONPATH=$PWD:tests/acceptance python tests/acceptance/check_desi_size.py OUTDIR

Writes an arc (dy = -0.5 px in b0 and r0, dx = +0.3 px in b0) and a DARK science exposure
(three dead fibers in b0) with the independent writer at DESI's geometry (500 fibers, 4k x 4k),
runs Quick Look on b0, r0, z0 with specs/desi and prints each value beside its truth, and the
grades that are not NORMAL. The numbers are quoted in docs/pipeline.md.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import desi_writer as w
import numpy as np

from qlf.quicklook.lines import (
    BANDS,
    LINE_ISOLATION_A,
    SKY_CONTINUUM_WINDOWS,
    SKY_LINES,
    isolated_lines,
    lines_in_arm,
)
from qlf.quicklook.runner import CameraTask, run_camera

SPECS = Path(__file__).resolve().parents[2] / "specs" / "desi"
DEAD = (3, 17, 260)


def cameras(**over):
    base = {"b0": {"dead_fibers": DEAD}, "r0": {}, "z0": {"xsigma": 1.10, "wsigma": 1.15}}
    return [w.Camera(c, **{**base[c], **over.get(c, {})}) for c in ("b0", "r0", "z0")]


def metrics(qa):
    out = {}
    for step in qa["TASKS"].values():
        out.update(step["METRICS"])
    return out


def row(name, value, truth):
    rel = (np.asarray(value, float) - np.asarray(truth, float)) / np.abs(np.asarray(truth, float))
    print(f"  {name:12s} measured {np.round(value, 4)} truth {np.round(truth, 4)} "
          f"(rel {np.round(rel * 100, 2)} %)")  # fmt: skip


def main(out: Path) -> None:
    exposures = {
        "arc": w.Exposure(21, 20261122, "arc", exptime=10.0, size="desi",
                          cameras=cameras(b0={"dx": 0.3, "dy": -0.5}, r0={"dy": -0.5})),
        "dark": w.Exposure(22, 20261122, "science", "DARK", exptime=900.0, size="desi",
                           cameras=cameras()),
    }  # fmt: skip
    for name, exp in exposures.items():
        start = time.process_time()
        raw, truth = w.write_exposure(exp, out / "data", out / "calib")
        print(f"{name}: written in {time.process_time() - start:.0f} CPU-s")
        for cam in exp.cameras:
            c = cam.camera
            start = time.process_time()
            result = run_camera(CameraTask(raw_path=raw, camera=c, scratch_dir=out / "scratch",
                                           calib_dir=out / "calib", specs_dir=SPECS))  # fmt: skip
            qa = json.loads(Path(result.qa_path).read_text())
            m, t = metrics(qa), truth.cameras[c]
            print(f" {c}: {result.status} ({time.process_time() - start:.1f} CPU-s)")
            row("BIAS_AMP", m["BIAS_AMP"], t["bias"])
            row("NOISE_AMP", m["NOISE_AMP"], t["readnoise"])
            row("LITFRAC_AMP", m["LITFRAC_AMP"], t["litfrac"])
            print(f"  XYSHIFTS     measured {np.round(m['XYSHIFTS'], 4)} truth "
                  f"[{t['dx']}, {t['dy']}]")  # fmt: skip
            row("XWSIGMA", m["XWSIGMA"], [t["xsigma"], t["wsigma"]])
            row("NGOODFIB", m["NGOODFIB"], t["ngood"])
            if name == "arc":
                row("CHECKARC", m["CHECKARC"], t["ngood"])
            else:
                arm = c[0]
                fitted = isolated_lines(lines_in_arm(SKY_LINES, arm), LINE_ISOLATION_A)[:, 0]
                row("PEAKCOUNT", m["PEAKCOUNT"], w.line_electrons_per_s(arm, fitted))
                row("SKYCONT", m["SKYCONT"], w.skycont_truth(SKY_CONTINUUM_WINDOWS[arm]))
                if arm == "r":
                    row("SKYRBAND", m["SKYRBAND"], w.sky_mag_truth(*BANDS["r"][1:]))
                by_class = w.fibers_by_class("desi", DEAD if c == "b0" else ())
                targets = [f for k, v in by_class.items() if k != "STD" for f in v]
                args = (arm, BANDS[arm][1:], exp.exptime,
                        t["readnoise"], "desi")  # fmt: skip
                for cls, value in m["FIDSNR_TGT"].items():
                    if cls == "STD":
                        expected = w.fidsnr_fit_truth(*args, targets, by_class[cls])["stars"]
                    else:
                        expected = w.fidsnr_fit_truth(*args, by_class[cls])["targets"]
                    row(f"FIDSNR {cls}", value, expected)
            bad = {k[:-7]: v for k, v in m.items() if k.endswith("_STATUS") and v != "NORMAL"}
            print(f"  not NORMAL: {bad or 'none'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
