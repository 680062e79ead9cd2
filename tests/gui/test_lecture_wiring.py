"""The lecture tools are reachable from the main window's menus and keys."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDialog

from collider_viz.gui import lecture_wiring
from collider_viz.gui.lecture.export_dialog import ExportImageDialog

SYNTH = "events.synthetic"


def _menu_texts(win, title):
    for action in win.menuBar().actions():
        if action.text().replace("&", "") == title:
            return [a.text().replace("&", "") for a in action.menu().actions()]
    return []


def test_menus_offer_export_presentation_and_stories(window):
    files = _menu_texts(window, "File")
    assert "Export image…" in files and "Export animation…" in files
    assert "Presentation mode" in _menu_texts(window, "View")
    stories = _menu_texts(window, "Stories")
    assert len(stories) >= 2 and any("Higgs" in s for s in stories)
    assert any("fluid" in s.lower() for s in stories)


def test_f5_presentation_hides_docks_and_esc_restores(window, open_wait, qtbot):
    open_wait(window, SYNTH)
    pres = window.lecture.presentation
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert pres.active and window.isFullScreen() and not window.menuBar().isVisible()
    # the window's own arrow-key actions step aside so the presentation keys are not ambiguous
    assert not window.actions_.nav["next"].isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    assert not pres.active and window.menuBar().isVisible()
    assert window.actions_.nav["next"].isEnabled()


def test_export_image_from_window_writes_requested_size(window, open_wait, tmp_path, monkeypatch):
    open_wait(window, SYNTH)
    out = tmp_path / "shot.png"

    def fake_exec(dialog):
        dialog.path_edit.setText(str(out))
        dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)  # custom size
        dialog.width_box.setValue(400)
        dialog.height_box.setValue(250)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportImageDialog, "exec", fake_exec)
    written = lecture_wiring.export_image(window)
    assert written is not None and out.exists()
    img = np.asarray(Image.open(out))
    assert img.shape[:2] == (250, 400)
    assert img[..., :3].std() > 5  # not blank
