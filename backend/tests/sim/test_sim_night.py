"""The ICS emulator and the ``qlf sim`` commands."""

from __future__ import annotations

import argparse
import json
import os
import threading
import time

import pytest
from astropy.io import fits
from sim_helpers import NIGHT

from qlf.quicklook.io.atomic import is_temporary_name
from qlf.sim import simulate_exposure
from qlf.sim.cli import add_commands
from qlf.sim.night import NightStep, next_expid, parse_sequence, run_night


def _qlf(*argv: str) -> int:
    """Run ``qlf sim ...`` through the sub-command registry of :mod:`qlf.cli`."""
    parser = argparse.ArgumentParser(prog="qlf")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_parse_sequence():
    steps = parse_sequence("zero,flat*2, arc,science:BRIGHT,science*2")
    assert [s.flavor for s in steps] == ["zero", "flat", "flat", "arc"] + ["science"] * 3
    assert steps[4] == NightStep("science", "BRIGHT") and steps[5].program is None
    for bad, match in [("", "no exposures"), ("bias", "unknown flavor"), ("zero*x", "malformed"),
                       ("flat:DARK", "science"), ("science:BLUE", "science")]:  # fmt: skip
        with pytest.raises(ValueError, match=match):
            parse_sequence(bad)


def test_night_writes_consecutive_exposures_and_cycles_programs(tmp_path):
    sleeps = []
    results = run_night(
        tmp_path, night=NIGHT, sequence="zero,arc,science*4", cadence=2.5, sleep=sleeps.append,
        profile="mini", cameras=["r0"], progress=False,
    )  # fmt: skip
    assert [r.info.expid for r in results] == [1, 2, 3, 4, 5, 6]
    assert sleeps == [2.5] * 5  # between exposures, not after the last
    assert [r.info.program for r in results[2:]] == ["DARK", "GRAY", "BRIGHT", "DARK"]
    times = [r.info.mjd for r in results]
    assert times == sorted(times) and len(set(times)) == 6
    for result in results:
        assert result.raw.exists() and result.truth.exists()
        assert (result.fibermap is not None) == (result.info.flavor == "science")
    assert next_expid(tmp_path) == 7
    more = run_night(tmp_path, night=NIGHT + 1, sequence="zero", cadence=0, profile="mini",
                     cameras=["r0"], progress=False)  # fmt: skip
    assert more[0].info.expid == 7 and more[0].raw.parent.parent.name == str(NIGHT + 1)
    again = run_night(tmp_path, night=NIGHT, sequence="science", cadence=0, profile="mini",
                      cameras=["r0"], program="gray", first_expid=100, progress=False)  # fmt: skip
    assert again[0].info.expid == 100 and again[0].info.program == "GRAY"


def test_atomic_rename_of_every_file(tmp_path, monkeypatch):
    """Every product appears by a rename from a hidden temporary in the same directory, onto a
    name that did not exist yet; the raw file comes last."""
    renames = []
    real_replace = os.replace

    def spy(src, dst):
        src, dst = str(src), str(dst)
        assert not os.path.exists(dst)
        assert os.path.dirname(src) == os.path.dirname(dst)
        assert is_temporary_name(os.path.basename(src), os.path.basename(dst))
        renames.append(os.path.basename(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    simulate_exposure(tmp_path, expid=9, night=NIGHT, flavor="science", profile="mini",
                      cameras=["b0"], progress=False)  # fmt: skip
    assert renames[-3:] == ["fibermap-00000009.fits", "truth-00000009.json",
                            "desi-00000009.fits.fz"]  # fmt: skip
    assert {"psf-b0.fits", "fiberflat-b0.fits", "ccd-b0.json"} <= set(renames)


def test_a_reader_never_sees_a_partial_raw_file(tmp_path):
    """Poll the night directory while exposures are written: any raw file seen is complete."""
    seen: dict[str, int] = {}
    errors: list[str] = []
    done = threading.Event()

    def watch():
        while True:
            finished = done.is_set()  # one more scan after the writer is done
            for path in tmp_path.glob("*/*/desi-*.fits.fz"):
                if path.name in seen:
                    continue
                try:
                    with fits.open(path) as hdul:
                        seen[path.name] = len(hdul)
                        hdul[-1].data.sum()  # the last HDU is complete
                except Exception as exc:
                    errors.append(f"{path.name}: {exc}")
            if finished:
                return
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run_night(tmp_path, night=NIGHT, sequence="flat,science*3", cadence=0, profile="mini",
                  cameras=["b0", "r5", "z9"], progress=False)  # fmt: skip
    finally:
        done.set()
        watcher.join()
    assert errors == []
    assert seen == {f"desi-{i:08d}.fits.fz": 5 for i in range(1, 5)}


def test_cli_exposure_and_calib_elsewhere(tmp_path, capsys):
    out, calib = tmp_path / "data", tmp_path / "calibration"
    code = _qlf("sim", "exposure", "--profile", "mini", "--flavor", "science", "--expid", "1",
                "--night", str(NIGHT), "--out", str(out), "--calib", str(calib),
                "--cameras", "b0,r0,z1", "--seed", "2", "--defect", "bias_jump:r0:B:30",
                "--no-progress")  # fmt: skip
    assert code == 0
    folder = out / str(NIGHT) / "00000001"
    assert sorted(p.name for p in folder.iterdir()) == [
        "desi-00000001.fits.fz", "fibermap-00000001.fits", "truth-00000001.json",
    ]  # fmt: skip
    assert sorted(p.name for p in calib.iterdir()) == ["b0", "r0", "z1"]
    assert not (out / "calib").exists()
    truth = json.loads((folder / "truth-00000001.json").read_text())
    assert truth["defects"] == [
        {"kind": "bias_jump", "camera": "r0", "amp": "B", "params": {"adu": 30.0}}
    ]
    assert "desi-00000001.fits.fz" in capsys.readouterr().out


def test_cli_night_defaults_to_qlf_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QLF_DATA_DIR", str(tmp_path))
    code = _qlf("sim", "night", "--night", str(NIGHT), "--sequence", "zero,flat,arc,science*2",
                "--cadence", "0", "--profile", "mini", "--arms", "r", "--spectrographs", "0-1",
                "--no-progress")  # fmt: skip
    assert code == 0
    expids = sorted(p.name for p in (tmp_path / str(NIGHT)).iterdir())
    assert expids == [f"{i:08d}" for i in range(1, 6)]
    with fits.open(tmp_path / str(NIGHT) / "00000005" / "desi-00000005.fits.fz") as hdul:
        assert [h.name for h in hdul[2:]] == ["R0", "R1"]
        assert hdul["SPEC"].header["PROGRAM"] == "GRAY"
    assert (tmp_path / "calib" / "r1" / "psf-r1.fits").exists()
    assert len(capsys.readouterr().out.splitlines()) == 5


def test_cli_calib_and_errors(tmp_path, monkeypatch):
    assert _qlf("sim", "calib", "--profile", "mini", "--calib", str(tmp_path / "c"),
                "--cameras", "z9") == 0  # fmt: skip
    assert (tmp_path / "c" / "z9" / "ccd-z9.json").exists()
    monkeypatch.delenv("QLF_DATA_DIR", raising=False)
    with pytest.raises(ValueError, match="QLF_DATA_DIR"):
        _qlf("sim", "exposure", "--expid", "1", "--night", str(NIGHT), "--profile", "mini")
    for argv, match in [
        (["--cameras", "b0,q1"], "camera"),
        (["--defect", "hot_amp:b9"], "not simulated"),
        (["--defect", "warm_amp:b0"], "unknown defect"),
        (["--flavor", "arc", "--program", "DARK"], "science"),
        (["--night", "2026112"], "YYYYMMDD"),
    ]:
        base = ["sim", "exposure", "--expid", "1", "--night", str(NIGHT), "--profile", "mini",
                "--out", str(tmp_path), "--cameras", "b0"]  # fmt: skip
        with pytest.raises(ValueError, match=match):
            _qlf(*base, *argv)


def test_calibration_of_another_instrument_is_refused(tmp_path):
    simulate_exposure(tmp_path, expid=1, night=NIGHT, flavor="zero", profile="mini",
                      cameras=["b0"], progress=False)  # fmt: skip
    with pytest.raises(ValueError, match="profile 'mini'"):
        simulate_exposure(tmp_path, expid=2, night=NIGHT, flavor="zero", profile="desi",
                          cameras=["b0"], progress=False)  # fmt: skip
