"""Methods of the main window that only pass requests on: navigation, picking, view, theme.

:class:`~collider_viz.gui.window.MainWindow` inherits these mixins; they use
its parts (``loader``, ``canvas``, ``control``, ``nav``, ``properties``,
``actions_``, ``prefs``, ``lecture``, ``autoplay``) and its signal
``theme_changed``, all set up by the window before any of them is called;
the Qt methods they call (``isFullScreen``, ``statusBar`` ...) are the
window's own.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QKeyEvent
from PyQt6.QtWidgets import QApplication

from collider_viz.gui import theme as themes
from collider_viz.gui.errors import guarded
from collider_viz.gui.event_text import NotFound, describe_object, resolve_goto
from collider_viz.gui.overlay import acceptance_line, cut_lines, overlay_lines


class NavigationMixin:
    """Moving between entries and picking objects of the shown event."""

    loader: Any
    event: Any
    nav: Any
    control: Any
    properties: Any
    _target: int

    @guarded
    def show_entry(self, entry: int) -> None:
        """Request ``entry`` of the open file (read in the background)."""
        if self.loader.source is None:
            return
        n = len(self.loader.source)
        entry = min(max(int(entry), 0), n - 1)
        self._target = entry
        if self.event is None or entry != self.event.meta.entry:
            self.loader.read(entry)

    def step(self, delta: int) -> None:
        """Move ``delta`` entries from the last requested one."""
        self.show_entry(self._target + delta)

    def first(self) -> None:
        """Show the first entry."""
        self.show_entry(0)

    def last(self) -> None:
        """Show the last entry."""
        if self.loader.source is not None:
            self.show_entry(len(self.loader.source) - 1)

    @guarded
    def goto(self, text: str) -> None:
        """Go to an entry number or ``run:event`` typed by the user."""
        source = self.loader.source
        if source is None:
            return
        try:
            entry = resolve_goto(source, text)
        except (NotFound, ValueError) as exc:  # the user's typing, not a bug: no traceback
            self.report_error("Event not found", str(exc))
            return
        self.nav.goto_edit.clear()
        self.show_entry(entry)

    def focus_goto(self) -> None:
        """Put the keyboard focus in the "go to" field."""
        self.nav.goto_edit.setFocus()
        self.nav.goto_edit.selectAll()

    @guarded
    def select_object(self, name: str, index: int) -> None:
        """Highlight object ``index`` of collection ``name`` and show its fields."""
        if self.event is None or name not in self.event:
            return
        self.control.highlight(name, index)
        self.properties.show_object(name, self.event[name], index)

    def clear_selection(self) -> None:
        """Remove the highlight."""
        self.control.highlight(None, None)

    def describe_object(self, name: str, index: int) -> str:
        """Tooltip text of an object: name, index and pT (or energy)."""
        return describe_object(self.event, name, index)


class ViewMixin:
    """View, theme, candidate overlay, full screen and the slideshow."""

    canvas: Any
    prefs: Any
    actions_: Any
    loader: Any
    lecture: Any
    autoplay: Any
    event: Any
    candidate: str | None
    theme_changed: Any
    _target: int

    @guarded
    def set_view(self, name: str) -> None:
        """Switch to view ``"3d"``, ``"rphi"``, ``"rz"`` or ``"lego"``."""
        self.canvas.set_view(name)
        self.actions_.views[name].setChecked(True)

    @guarded
    def reset_camera(self) -> None:
        """Put the camera back where the view starts."""
        self.canvas.reset_camera()

    @guarded
    def set_theme(self, name: str) -> None:
        """Apply theme ``"dark"`` or ``"light"`` to Qt, the canvas and (signal) the docks."""
        app = QApplication.instance()
        if app is not None:
            themes.apply_theme(app, name)
        self.canvas.set_theme(name)
        self.prefs.theme = name
        self.actions_.themes[name].setChecked(True)
        self.theme_changed.emit(name)

    def toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.set_theme(themes.other(self.prefs.theme))

    def set_candidate(self, text: str | None) -> None:
        """Fill the overlay's candidate-mass slot (None empties it)."""
        self.candidate = text
        self.refresh_overlay()

    def refresh_overlay(self, *_: Any) -> None:
        """Overlay lines and collection counts for the shown event, its candidate and cuts."""
        if self.event is None:
            return
        counts = self.event.counts()
        n_drawn = getattr(self.canvas, "n_drawn", None)
        drawn = {n: int(n_drawn(n)) for n in counts} if n_drawn is not None else None
        cuts = cut_lines(counts, self.collections.state(), drawn) if drawn is not None else []
        acceptance = acceptance_line(self.event, getattr(self, "detector", None))
        cuts += [acceptance] if acceptance else []
        # masterclass exercise: the candidate mass stays hidden until the student has answered
        candidate = None if getattr(self, "answers_hidden", False) else self.candidate
        self.canvas.set_overlay(overlay_lines(self.event, candidate,
                                              getattr(self, "source_stats", None), cuts))
        self.collections.set_counts(counts, drawn)

    def toggle_fullscreen(self) -> None:
        """Enter or leave full screen (F11)."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.autoplay.stop()
            self.showNormal()
            return
        super().keyPressEvent(event)

    def start_play(self, seconds: float) -> None:
        """Present full screen and advance every ``seconds`` (wrapping; Space pauses).

        With a scan result in the Candidates dock the slides are its
        candidates, otherwise the entries of the file.
        """
        self.lecture.presentation.start(seconds)

    def toggle_play(self) -> None:
        """Pause or resume the automatic advance (Space)."""
        playing = self.autoplay.toggle()
        self.statusBar().showMessage("Playing" if playing else "Paused", 2000)

    def _advance(self) -> None:
        source = self.loader.source
        if source is not None:
            self.show_entry((self._target + 1) % len(source))
