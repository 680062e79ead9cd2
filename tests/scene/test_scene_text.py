"""Text of the display uses a face that has the physics glyphs (no fallback boxes)."""

from __future__ import annotations

import numpy as np
import pytest

from collider_viz.scene import fonts

MISSING = "\ue000"  # a private-use code point: no font has it, freetype draws .notdef
SYMBOLS = "→ℓγ≥√ημφπ"

needs_face = pytest.mark.skipif(fonts.face_file() is None or fonts.TextureFont is None,
                                reason="DejaVu Sans files or vispy TextureFont not available")


def _sdf(face: str, char: str) -> np.ndarray:
    font = fonts.SharedFontManager().get_font(face)
    return fonts._render_glyph(font, char)[1]


@needs_face
def test_text_face_is_dejavu_with_files_registered():
    assert fonts.text_face() == fonts.FACE
    assert fonts.register_face()
    assert fonts.face_file(bold=True).name == "DejaVuSans-Bold.ttf"


@needs_face
@pytest.mark.parametrize("char", list(SYMBOLS))
def test_symbol_glyphs_are_not_the_missing_glyph_box(char):
    fonts.register_face()
    box = _sdf(fonts.FACE, MISSING)
    glyph = _sdf(fonts.FACE, char)
    assert glyph.shape != box.shape or not np.array_equal(glyph, box)


@needs_face
def test_default_vispy_face_lacks_the_arrow():
    """The check above can fail: OpenSans draws "→" as its missing-glyph box."""
    assert np.array_equal(_sdf(fonts.FALLBACK_FACE, "→"), _sdf(fonts.FALLBACK_FACE, MISSING))


def _overlay_patch(make_canvas, text: str) -> np.ndarray:
    canvas = make_canvas(size=(240, 80))
    canvas.set_overlay([text])
    img = canvas.render()
    return img[4:36, 4:40, :3].astype(int)


@pytest.mark.gui
@needs_face
def test_overlay_draws_the_arrow_not_a_box(make_canvas):
    arrow = _overlay_patch(make_canvas, "→")
    box = _overlay_patch(make_canvas, MISSING)
    assert arrow.max() > 100 and box.max() > 100  # both drew something
    assert np.abs(arrow - box).max() > 100
    full = _overlay_patch(make_canvas, "H→ZZ→4ℓ γγ")
    assert full.max() > 100
