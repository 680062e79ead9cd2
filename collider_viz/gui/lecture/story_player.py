"""The story player: one step of a lecture story at a time, with its caption.

``collider-viz story rhic`` opens it as its own window (:func:`run_player`).
The main window can offer it from a "Stories" menu::

    from collider_viz.gui.lecture.story_player import StoryPlayer, stories_menu_entries
    for name, title in stories_menu_entries():
        menu.addAction(title, lambda n=name: StoryPlayer.open(n, parent=self))

It draws events with its own ``EventCanvas``; ``stepResolved`` lets a host
show the same event in the main window instead.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QFont, QImage, QKeySequence, QPixmap, QShortcut
from PyQt6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from collider_viz.errors import ColliderVizError
from collider_viz.export.annotate import annotation_lines
from collider_viz.export.stories import Story, builtin_stories, load_story
from collider_viz.export.story_steps import ResolvedStep, resolve_step

#: Text scale of the player in full screen (F5).
PRESENT_SCALE = 1.5


def stories_menu_entries() -> list[tuple[str, str]]:
    """(name, title) of every built-in story, for a "Stories" menu."""
    return [(name, load_story(path).title) for name, path in builtin_stories().items()]


class StoryPlayer(QWidget):
    """Steps through a :class:`~collider_viz.export.stories.Story`.

    Signals
    -------
    stepChanged(int)
        The 1-based step now shown.
    stepResolved(object)
        The :class:`~collider_viz.export.story_steps.ResolvedStep` now shown.
    """

    stepChanged = pyqtSignal(int)  # noqa: N815 (Qt naming)
    stepResolved = pyqtSignal(object)  # noqa: N815

    def __init__(self, story: Story, parent: QWidget | None = None, canvas: Any = None) -> None:
        super().__init__(parent)
        self.story = story
        self.number = 0
        self.current: ResolvedStep | None = None
        self.setWindowTitle(f"{story.title} — collider_viz")
        self.canvas = canvas if canvas is not None else _make_canvas()
        self._build()
        for key, slot in ((Qt.Key.Key_Right, self.next), (Qt.Key.Key_Space, self.next),
                          (Qt.Key.Key_Left, self.previous), (Qt.Key.Key_F5, self.toggle_full_screen),
                          (Qt.Key.Key_Escape, self.leave_full_screen)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    @classmethod
    def open(cls, name: str, parent: QWidget | None = None) -> StoryPlayer:
        """Load story ``name`` (or a TOML path), show the player at its title page."""
        player = cls(load_story(name), parent)
        player.setWindowFlag(Qt.WindowType.Window, True)
        player.resize(1280, 860)
        player.show()
        player.go(0)
        return player

    def _build(self) -> None:
        self.title = QLabel(self.story.title)
        self.subtitle = QLabel(self.story.subtitle)
        self.subtitle.setVisible(bool(self.story.subtitle))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.canvas.native)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        ignored = QSizePolicy.Policy.Ignored  # a picture never makes the window grow
        self.picture.setSizePolicy(ignored, ignored)
        self.stack.addWidget(self.picture)
        self.caption = QLabel(wordWrap=True)
        self.counter = QLabel()
        self.prev_button, self.next_button = QPushButton("◀ Back"), QPushButton("Next ▶")
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        nav = QHBoxLayout()
        for widget in (self.prev_button, self.counter, self.next_button):
            nav.addWidget(widget)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.caption)
        layout.addLayout(nav)
        self._set_text_scale(1.0)

    # -- full screen ------------------------------------------------------------
    @property
    def presenting(self) -> bool:
        """True while the player is full screen (F5), with larger text and margins."""
        return self.isFullScreen()

    def toggle_full_screen(self) -> None:
        """F5: full screen with larger text and margins, or back to a window."""
        if self.isFullScreen():
            self.leave_full_screen()
        else:
            self._set_text_scale(PRESENT_SCALE)
            self.showFullScreen()

    def leave_full_screen(self) -> None:
        """Esc: back to a normal window (nothing happens when not full screen)."""
        if self.isFullScreen():
            self.showNormal()
        self._set_text_scale(1.0)

    def _set_text_scale(self, scale: float) -> None:
        self.text_scale = scale
        self.title.setFont(_font(1.6 * scale, bold=True))
        self.subtitle.setFont(_font(1.15 * scale))
        self.caption.setFont(_font(1.3 * scale))
        margin = int(round(12 + 36 * (scale - 1.0)))
        self._layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        overlay = getattr(self.canvas, "overlay", None)
        if hasattr(overlay, "set_scale"):
            overlay.set_scale(scale, margin_px=None if scale == 1.0 else 32.0)
        if self.current is not None and self.current.spectrum is not None:
            self._show_spectrum(self.current)

    # -- navigation -----------------------------------------------------------
    def go(self, number: int) -> None:
        """Show step ``number`` (1-based; 0 is the title page; clamped to the story)."""
        number = min(max(int(number), 0), len(self.story))
        if number == 0:
            self._show_title_page()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            res = resolve_step(self.story, number)
        except ColliderVizError as exc:
            res = ResolvedStep(self.story.steps[number - 1], number, note=str(exc))
        finally:
            QApplication.restoreOverrideCursor()
        self.number, self.current = number, res
        self._show(res)
        self.stepChanged.emit(number)
        self.stepResolved.emit(res)

    def next(self) -> None:
        """Next step (stays on the last)."""
        self.go(self.number + 1)

    def previous(self) -> None:
        """Previous step (the title page before the first)."""
        self.go(self.number - 1)

    # -- drawing --------------------------------------------------------------
    def _show_title_page(self) -> None:
        """Step 0: the story's title, subtitle and description, before the first picture."""
        self.number, self.current = 0, None
        self.title.setText(self.story.title)
        self.picture.setFont(_font(1.5 * self.text_scale))
        self.picture.setText(self.story.description or self.story.subtitle or self.story.title)
        self.picture.setContentsMargins(80, 40, 80, 40)
        self.stack.setCurrentWidget(self.picture)
        self.caption.setText(f"{len(self.story)} steps · → or Space: next, ←: back, "
                             "F5: full screen, Esc: leave it")
        self.counter.setText(f"0 / {len(self.story)}")
        self.prev_button.setEnabled(False)
        self.next_button.setEnabled(True)
        self.stepChanged.emit(0)

    def _show(self, res: ResolvedStep) -> None:
        step = res.step
        self.picture.setContentsMargins(0, 0, 0, 0)
        self.picture.setFont(_font(1.3 * self.text_scale))
        self.title.setText(f"{self.story.title}: {step.title}" if step.title else self.story.title)
        caption = step.caption if not res.note else f"{step.caption}\n\n({res.note})"
        self.caption.setText(caption)
        self.counter.setText(f"{res.number} / {len(self.story)}")
        self.prev_button.setEnabled(res.number > 0)
        self.next_button.setEnabled(res.number < len(self.story))
        if res.spectrum is not None:
            self._show_spectrum(res)
        elif res.event is not None:
            self._show_event(res)
        else:
            self.picture.setText(res.note or "nothing to show")
            self.stack.setCurrentWidget(self.picture)

    def _show_event(self, res: ResolvedStep) -> None:
        from collider_viz.export.image import detector_for

        step, ec = res.step, self.canvas
        ec.set_event(res.event, detector_for(res.event))
        ec.set_view(step.view)
        ec.set_color_by(step.color_by)
        ec.reset_camera()
        for name, indices in res.highlight.items():
            ec.highlight(name, indices)
        ec.set_overlay(annotation_lines(res.event, res.candidate, res.extra_lines))
        self.stack.setCurrentWidget(ec.native)

    def _show_spectrum(self, res: ResolvedStep) -> None:
        from collider_viz.export.spectrum import render_spectrum
        from collider_viz.export.story_export import spectrum_label

        size = (max(self.stack.width(), 640), max(self.stack.height(), 360))
        image = render_spectrum(res.spectrum, size, "dark", res.step.title, res.step.mark,
                                spectrum_label(res.spectrum))
        self.picture.setPixmap(QPixmap.fromImage(_qimage(image)))
        self.stack.setCurrentWidget(self.picture)


def _qimage(image: np.ndarray) -> QImage:
    data = np.ascontiguousarray(image)
    height, width = data.shape[:2]
    return QImage(data.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()


def _font(scale: float, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def _make_canvas() -> Any:
    from collider_viz.scene import EventCanvas

    return EventCanvas(size=(1280, 720))


def run_player(story: Story) -> int:
    """Open the player for ``story`` in its own window and run the Qt event loop."""
    from collider_viz.gui.app import NO_DISPLAY, display_missing, make_application

    if display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = make_application()
    player = StoryPlayer.open(str(story.path))
    status = app.exec()
    del player
    return int(status)
