"""The PNG writer: any reader decodes its files to the same pixels."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from collider_viz.export.png import encode_png


def _decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 13, 3), (61, 40, 4), (1080, 1920, 4)])
def test_round_trip_through_pillow(shape):
    rng = np.random.default_rng(sum(shape))
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    image[: shape[0] // 2] = 7  # flat background, as in event pictures
    decoded = _decode(encode_png(image))
    assert decoded.shape == shape and np.array_equal(decoded, image)


def test_modes_are_kept():
    image = np.zeros((30, 50, 4), dtype=np.uint8)
    image[..., 3] = 255
    image[10:20, 5:9, :3] = (200, 30, 90)
    assert Image.open(io.BytesIO(encode_png(image))).mode == "RGBA"
    assert Image.open(io.BytesIO(encode_png(image[..., :3].copy()))).mode == "RGB"


def test_chunks_and_crcs_follow_the_specification():
    data = encode_png(np.full((4, 5, 3), 128, dtype=np.uint8))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        crc = int.from_bytes(data[pos + 8 + length:pos + 12 + length], "big")
        assert crc == zlib.crc32(kind + body)
        kinds.append(kind)
        pos += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]


@pytest.mark.parametrize("bad", [np.zeros((4, 4), np.uint8), np.zeros((4, 4, 3), np.float32),
                                 np.zeros((0, 4, 3), np.uint8), np.zeros((4, 4, 2), np.uint8)])
def test_not_an_image_is_refused(bad):
    with pytest.raises(ValueError, match="expected a"):
        encode_png(bad)
