"""Atomic writing: no overwrite without force, no partial or temporary file on failure."""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

from collider_viz.export import atomic
from collider_viz.export.atomic import ExportError, write_atomic, write_bytes_atomic


def test_atomic_write_creates_file_and_leaves_no_temp(tmp_path):
    out = write_bytes_atomic(tmp_path / "a.png", b"data")
    assert out.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]


def test_atomic_refuses_overwrite_without_force(tmp_path):
    target = tmp_path / "a.png"
    target.write_bytes(b"old")
    with pytest.raises(ExportError, match="already exists.*--force"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    write_bytes_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]


def test_atomic_failed_writer_leaves_nothing(tmp_path):
    def broken(path):
        path.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ExportError, match="no space left"):
        write_atomic(tmp_path / "full.png", broken)
    assert list(tmp_path.iterdir()) == []


def test_atomic_permission_denied_is_one_clear_line(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    with pytest.raises(ExportError) as info:
        write_bytes_atomic(tmp_path / "x.png", b"data")
    assert "permission denied" in str(info.value) and "\n" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_atomic_read_only_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            write_bytes_atomic(ro / "x.png", b"data")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_atomic_missing_directory(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_bytes_atomic(tmp_path / "nope" / "x.png", b"data")


def test_atomic_file_gets_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        out = write_bytes_atomic(tmp_path / "shared.png", b"x")
    finally:
        os.umask(umask)
    assert (out.stat().st_mode & 0o777) == 0o644


@pytest.mark.parametrize("channels", [3, 4])
def test_png_writer_is_lossless_and_keeps_the_channels(tmp_path, channels):
    from PIL import Image

    from collider_viz.export.image import save_png

    rng = np.random.default_rng(5)
    image = np.zeros((90, 160, channels), np.uint8)          # a dark picture with noisy tracks
    image[20:70, 30:130] = rng.integers(0, 256, (50, 100, channels), dtype=np.uint8)
    if channels == 4:
        image[..., 3] = rng.integers(0, 256, (90, 160), dtype=np.uint8)
    out = save_png(image, tmp_path / "event.png")
    np.testing.assert_array_equal(np.asarray(Image.open(out)), image)
