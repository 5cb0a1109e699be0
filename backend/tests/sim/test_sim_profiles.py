"""Geometry of the profiles: DESI section strings exactly as DESIGN.md 4.1, consistent layouts."""

from __future__ import annotations

import numpy as np
import pytest

from qlf.quicklook.io.sections import parse_section
from qlf.sim.observation import camera_header
from qlf.sim.profiles import AMPS, PROFILES, get_profile, parse_cameras, select_cameras

DESIGN_R = {
    "PRESECA": "[1:7,2:2065]",
    "DATASECA": "[8:2064,2:2065]",
    "BIASSECA": "[2065:2128,2:2065]",
    "ORSECA": "[8:2064,2066:2097]",
    "CCDSECA": "[1:2057,1:2064]",
    "DATASECB": "[2193:4249,2:2065]",
    "BIASSECB": "[2129:2192,2:2065]",
    "DATASECC": "[8:2064,2130:4193]",
}
DESIGN_B = {
    "DATASECA": "[5:2052,2:2049]",
    "BIASSECA": "[2053:2116,2:2049]",
    "DATASECB": "[2181:4228,2:2049]",
    "DATASECC": "[5:2052,2114:4161]",
}


@pytest.mark.parametrize(
    ("arm", "raw", "trimmed"),
    [("b", (4162, 4232), (4096, 4096)), ("r", (4194, 4256), (4128, 4114)),
     ("z", (4194, 4256), (4128, 4114))],
)  # fmt: skip
def test_desi_sizes_match_design(arm, raw, trimmed):
    geom = get_profile("desi").arms[arm]
    assert geom.raw_shape == raw
    assert geom.trimmed_shape == trimmed
    assert geom.prescan == (4 if arm == "b" else 7)
    assert (geom.overscan_cols, geom.overscan_rows) == (64, 32)


@pytest.mark.parametrize(("arm", "expected"), [("r", DESIGN_R), ("z", DESIGN_R), ("b", DESIGN_B)])
def test_desi_section_strings_exactly_as_design(arm, expected):
    keywords = get_profile("desi").arms[arm].section_keywords()
    for key, value in expected.items():
        assert keywords[key] == value, key


@pytest.mark.parametrize("name", sorted(PROFILES))
@pytest.mark.parametrize("arm", ["b", "r", "z"])
def test_sections_tile_the_raw_image(name, arm):
    """Every raw pixel belongs to exactly one amp quadrant; regions never overlap; the data
    sections map one to one onto the trimmed image; C D sit over A B."""
    geom = get_profile(name).arms[arm]
    keywords = geom.section_keywords()
    owner = np.zeros(geom.raw_shape, dtype=np.uint8)
    trimmed = np.zeros(geom.trimmed_shape, dtype=np.uint8)
    for amp in AMPS:
        owner[geom.quadrant(amp)] += 1
        qrows, qcols = geom.quadrant(amp)
        region = np.zeros(geom.raw_shape, dtype=np.uint8)
        for key in ("PRESEC", "DATASEC", "BIASSEC", "ORSEC"):
            rows, cols = parse_section(keywords[f"{key}{amp}"])
            assert qrows.start <= rows.start < rows.stop <= qrows.stop, f"{key}{amp}"
            assert qcols.start <= cols.start < cols.stop <= qcols.stop, f"{key}{amp}"
            region[rows, cols] += 1
        assert region.max() == 1, f"regions of amp {amp} overlap"
        data = parse_section(keywords[f"DATASEC{amp}"])
        ccd = parse_section(keywords[f"CCDSEC{amp}"])
        assert data[0].stop - data[0].start == ccd[0].stop - ccd[0].start
        assert data[1].stop - data[1].start == ccd[1].stop - ccd[1].start
        trimmed[ccd] += 1
        bias = parse_section(keywords[f"BIASSEC{amp}"])
        assert bias[0] == data[0]  # overscan columns cover the data rows
        orsec = parse_section(keywords[f"ORSEC{amp}"])
        assert orsec[1] == data[1]  # overscan rows cover the data columns
        # overscan columns sit between the two data halves, prescan at the outer edge
        pre = parse_section(keywords[f"PRESEC{amp}"])
        if amp in "AC":
            assert pre[1].stop <= data[1].start < data[1].stop <= bias[1].start
        else:
            assert bias[1].stop <= data[1].start < data[1].stop <= pre[1].start
    assert (owner == 1).all()
    assert (trimmed == 1).all()
    assert parse_section(keywords["DATASECC"])[0].start > parse_section(keywords["ORSECA"])[0].stop
    assert geom.ccdsize == f"{geom.trimmed_shape[1]},{geom.trimmed_shape[0]}"


def test_mini_is_small_with_the_desi_layout():
    mini = get_profile("mini")
    assert mini.nfiber == 25 and (mini.nbundle, mini.fibers_per_bundle) == (5, 5)
    for arm, geom in mini.arms.items():
        assert geom.prescan == (4 if arm == "b" else 7)
        assert geom.raw_shape[0] * geom.raw_shape[1] < 200_000
    assert mini.arms["z"].xsigma == pytest.approx(1.10)
    assert mini.arms["b"].xsigma == pytest.approx(1.05)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_fiber_layout_pitch_and_bundle_gap(name):
    profile = get_profile(name)
    x = profile.fiber_columns("r")
    steps = np.diff(x)
    assert steps.size == profile.nfiber - 1
    in_bundle = np.ones(steps.size, dtype=bool)
    in_bundle[profile.fibers_per_bundle - 1 :: profile.fibers_per_bundle] = False
    np.testing.assert_allclose(steps[in_bundle], 7.25)
    np.testing.assert_allclose(steps[~in_bundle], 17.5)
    width = profile.arms["r"].trimmed_shape[1]
    margin = profile.curvature + 5 * 1.1 + 5
    assert x.min() > margin and x.max() < width - 1 - margin
    assert x.mean() == pytest.approx(width / 2 - 0.5)


def test_camera_selection():
    desi = get_profile("desi")
    assert parse_cameras("z1, b0,r0", desi) == ["b0", "r0", "z1"]
    assert select_cameras(desi, arms="r", spectrographs="0-2") == ["r0", "r1", "r2"]
    assert select_cameras(desi, arms="bz", spectrographs="3,5") == ["b3", "b5", "z3", "z5"]
    assert len(select_cameras(desi)) == 30
    for bad in ("x0", "b10", ""):
        with pytest.raises(ValueError, match="camera"):
            parse_cameras(bad, desi)
    with pytest.raises(ValueError, match="spectrographs"):
        select_cameras(desi, spectrographs="9-10")
    with pytest.raises(ValueError, match="arms"):
        select_cameras(desi, arms="q")
    with pytest.raises(ValueError, match="either"):
        select_cameras(desi, cameras="b0", arms="b")
    with pytest.raises(ValueError, match="unknown profile"):
        get_profile("huge")


@pytest.mark.parametrize("camera", ["b3", "r7", "z0"])
def test_desi_camera_header_without_pixels(camera):
    """The full DESI camera header, built without rendering 17 Mpixel."""
    desi = get_profile("desi")
    header = camera_header(
        desi, camera, expid=42, night=20261122, gains=[1.1, 1.2, 1.3, 1.4],
        saturation=[62000.0] * 4, readnoise=[2.5, 2.6, 2.7, 2.8],
    )  # fmt: skip
    assert header["CAMERA"] == camera
    assert header["SPECGRPH"] == int(camera[1])
    assert (header["EXPID"], header["NIGHT"]) == (42, 20261122)
    assert header["DETECTOR"]
    geom = desi.arms[camera[0]]
    assert header["CCDSIZE"] == geom.ccdsize
    expected = DESIGN_B if camera[0] == "b" else DESIGN_R
    for key, value in expected.items():
        assert header[key] == value
    for i, amp in enumerate(AMPS):
        for key in ("PRESEC", "DATASEC", "BIASSEC", "ORSEC", "CCDSEC"):
            assert f"{key}{amp}" in header
        assert header[f"GAIN{amp}"] == pytest.approx([1.1, 1.2, 1.3, 1.4][i])
        assert header[f"SATURLEV{amp}"] == 62000.0
        assert header[f"RDNOISE{amp}"] == pytest.approx([2.5, 2.6, 2.7, 2.8][i])
