"""The raw reader's own decoding of Rice row tiles reads exactly what astropy reads; other
compressions and uncompressed images go through astropy; truncation fails only the camera cut."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from qlf.quicklook.io.fits_layout import rice_rows_readable
from qlf.quicklook.io.raw import RawFormatError, open_raw

NROW, NCOL = 40, 70


def _camera_header(camera: str) -> fits.Header:
    header = fits.Header()
    header["CAMERA"] = camera
    header["EXPID"] = 7
    header["DATASECA"] = f"[1:{NCOL - 6},1:{NROW}]"
    header["BIASSECA"] = f"[{NCOL - 5}:{NCOL},1:{NROW}]"
    header["GAINA"] = 1.5
    return header


def _write(path, cameras: dict[str, fits.hdu.base.ExtensionHDU]) -> None:
    spec = fits.ImageHDU(name="SPEC")
    spec.header.update(EXPID=7, NIGHT=20261122, FLAVOR="zero")
    fits.HDUList([fits.PrimaryHDU(), spec, *cameras.values()]).writeto(path)


def _image(dtype, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=(NROW, NCOL), endpoint=True).astype(dtype)


@pytest.fixture
def raw_file(tmp_path):
    images = {
        "b0": _image(np.uint16, 1),  # Rice, one row per tile: decoded by the reader
        "r0": _image(np.int16, 2),
        "z0": _image(np.uint16, 3),  # Rice, 8 × 8 tiles: astropy
        "b1": _image(np.int32, 4),  # GZIP: astropy
        "r1": _image(np.uint16, 5),  # not compressed: astropy
        "z1": _image(np.int32, 6),  # 32-bit Rice rows
    }
    hdus = {
        "b0": fits.CompImageHDU(images["b0"], compression_type="RICE_1"),
        "r0": fits.CompImageHDU(images["r0"], compression_type="RICE_1"),
        "z0": fits.CompImageHDU(images["z0"], compression_type="RICE_1", tile_shape=(8, 8)),
        "b1": fits.CompImageHDU(images["b1"], compression_type="GZIP_1"),
        "r1": fits.ImageHDU(images["r1"]),
        "z1": fits.CompImageHDU(images["z1"], compression_type="RICE_1"),
    }
    for camera, hdu in hdus.items():
        hdu.header.update(_camera_header(camera))
        hdu.name = camera.upper()
    path = tmp_path / "desi-00000007.fits.fz"
    _write(path, hdus)
    return path, images


def test_every_compression_reads_as_astropy_reads_it(raw_file):
    path, images = raw_file
    with fits.open(path) as hdul:
        expected = {camera: hdul[camera.upper()].data for camera in images}
    with open_raw(path) as raw:
        assert raw.cameras == ["b0", "b1", "r0", "r1", "z0", "z1"]
        assert (raw.expid, raw.night, raw.flavor) == (7, 20261122, "zero")
        for camera, image in images.items():
            frame = raw.read_camera(camera)
            assert frame.image.dtype == expected[camera].dtype, camera
            np.testing.assert_array_equal(frame.image, image, err_msg=camera)
            assert frame.amps[0].gain == 1.5 and frame.amps[0].overscan.shape == (NROW, 6)


def test_which_headers_take_the_fast_path(raw_file):
    path, _ = raw_file
    with fits.open(path, disable_image_compression=True) as hdul:
        fast = {hdu.name.lower() for hdu in hdul[2:] if rice_rows_readable(hdu.header)}
    assert fast == {"b0", "r0", "z1"}


def test_truncation_fails_only_the_camera_cut(tmp_path):
    hdus = {}
    for camera in ("b0", "r0"):
        hdus[camera] = fits.CompImageHDU(_image(np.uint16, 9), compression_type="RICE_1")
        hdus[camera].header.update(_camera_header(camera))
        hdus[camera].name = camera.upper()
    path = tmp_path / "desi-00000007.fits.fz"
    _write(path, hdus)
    path.write_bytes(path.read_bytes()[:-3000])
    with open_raw(path) as raw:
        assert raw.read_camera("b0").image.shape == (NROW, NCOL)
        with pytest.raises(RawFormatError, match=r"\[r0\].*truncated"):
            raw.read_camera("r0")
        with pytest.raises(RawFormatError, match=r"no HDU Z0.*truncated"):
            raw.read_camera("z0")


@pytest.mark.parametrize("where", ["codes", "descriptor"])
def test_corrupt_tiles_fail_with_a_clear_error(tmp_path, where):
    hdu = fits.CompImageHDU(_image(np.uint16, 11), compression_type="RICE_1")
    hdu.header.update(_camera_header("b0"))
    hdu.name = "B0"
    path = tmp_path / "desi-00000007.fits.fz"
    _write(path, {"b0": hdu})
    data = bytearray(path.read_bytes())
    with fits.open(path, disable_image_compression=True) as hdul:
        table = hdul["B0"]._data_offset
        heap = table + hdul["B0"].header["NAXIS1"] * NROW
    if where == "codes":
        data[heap : heap + 200] = bytes(200)  # the first tiles' Rice codes
    else:
        data[table + 4 : table + 8] = (10**8).to_bytes(4, "big")  # tile 0 beyond the heap
    path.write_bytes(bytes(data))
    with open_raw(path) as raw, pytest.raises(RawFormatError, match=r"\[b0\].*unreadable"):
        raw.read_camera("b0")


def test_not_fits(tmp_path):
    path = tmp_path / "desi-00000007.fits.fz"
    path.write_bytes(b"SIMPLE nonsense" * 400)
    with pytest.raises(RawFormatError, match="not a readable FITS file"):
        open_raw(path)
