"""Lecture tools in the main window: image/animation export, presentation, stories.

:func:`attach_lecture` adds the menu entries and keys; the widgets themselves
live in :mod:`collider_viz.gui.lecture`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QDialog

from collider_viz.gui.errors import show_error
from collider_viz.gui.lecture.animation_dialog import AnimationExportDialog, run_animation_export
from collider_viz.gui.lecture.export_dialog import (
    as_on_screen,
    confirm_overwrite,
    export_image_interactive,
)
from collider_viz.gui.lecture.presentation import PresentationController
from collider_viz.gui.lecture.story_player import StoryPlayer, stories_menu_entries
from collider_viz.gui.menus import window_action

if TYPE_CHECKING:
    from collider_viz.gui.window import MainWindow


@dataclass
class Lecture:
    """What :func:`attach_lecture` added to a window."""

    presentation: PresentationController
    export_image: QAction
    export_animation: QAction
    present: QAction
    stories: dict[str, QAction]
    players: list[Any] = field(default_factory=list)


def attach_lecture(window: MainWindow) -> Lecture:
    """Add File → Export image/animation, View → Presentation mode and a Stories menu.

    The presentation's slides are the candidates of the Candidates dock when it
    has a scan result, otherwise the entries of the file (:func:`present_step`).
    """
    presentation = PresentationController(window, advance=lambda: present_step(window, 1),
                                          back=lambda: present_step(window, -1))
    clashing = [window.actions_.nav["next"], window.actions_.nav["prev"], window.actions_.play]
    presentation.activeChanged.connect(
        lambda on: [action.setEnabled(not on) for action in clashing])
    lecture = Lecture(
        presentation=presentation,
        export_image=_action(window, "Export &image…", lambda: export_image(window), "Ctrl+E"),
        export_animation=_action(window, "Export &animation…",
                                 lambda: export_animation(window), "Ctrl+Shift+E"),
        present=_action(window, "&Presentation mode", presentation.toggle, "F5"),
        stories={},
    )
    _add_to_menus(window, lecture)
    return lecture


def present_step(window: MainWindow, delta: int) -> None:
    """Next (+1) or previous (-1) slide: a candidate (wrapping) when there are any, else an entry.

    The overlay then shows the candidate's mass (the candidates controller
    fills it for every candidate shown).
    """
    candidates = getattr(window, "candidates", None)
    if candidates is not None and candidates.has_candidates():
        candidates.step(delta, wrap=True)
    elif delta > 0:
        window.lecture.presentation.next_entry()
    else:
        window.step(-1)


def _action(window: MainWindow, text: str, slot: Any, key: str = "") -> QAction:
    return window_action(window, text, slot, (key,) if key else ())


def _add_to_menus(window: MainWindow, lecture: Lecture) -> None:
    file_menu = window.file_menu
    first = next((a for a in file_menu.actions() if a.isSeparator()), None)
    file_menu.insertActions(first, [lecture.export_image, lecture.export_animation])
    window.view_menu.addAction(lecture.present)
    stories = window.menuBar().addMenu("&Stories")
    for name, title in stories_menu_entries():
        action = _action(window, title, lambda n=name: open_story(window, lecture, n))
        stories.addAction(action)
        lecture.stories[name] = action


def export_image(window: MainWindow) -> Any:
    """File → Export image: the picture on screen (event, view, camera, highlight, cuts, text)."""
    if window.event is None:
        return None
    path = export_image_interactive(window, window.event, window.detector, window.canvas,
                                    candidate=window.candidate, highlight=None,
                                    path=default_export_path(window, ".png"),
                                    screen=screen_state(window))
    return exported(window, path)


def screen_state(window: MainWindow) -> dict[str, Any]:
    """The window's display choices and overlay text, as ``ImageOptions`` fields."""
    return {"display": window.collections.state(), "lines": list(window.canvas.overlay.lines)}


def default_export_path(window: MainWindow, suffix: str) -> str:
    """``<last export folder>/run1_event42.png`` (Pictures before the first export), unused."""
    from PyQt6.QtCore import QStandardPaths

    folder = Path(window.prefs.export_dir or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.PicturesLocation) or Path.home())
    meta = window.event.meta
    stem = f"run{meta.run}_event{meta.event}" if meta.run is not None and meta.event is not None \
        else f"entry{meta.entry}"
    path, k = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, k = folder / f"{stem}_{k}{suffix}", k + 1
    return str(path)


def exported(window: MainWindow, path: Any) -> Any:
    """Remember the folder of a written export and say in the status bar where it went."""
    if path is not None:
        window.prefs.export_dir = str(Path(path).resolve().parent)
        window.statusBar().showMessage(f"Saved {Path(path).resolve()}", 20000)
    return path


def export_animation(window: MainWindow) -> Any:
    """File → Export animation: turntable or replay of the current event."""
    if window.event is None:
        return None
    view = getattr(window.canvas, "view_name", "3d")
    dialog = AnimationExportDialog(window, view, window.prefs.theme,
                                   default_export_path(window, ".gif"))
    if dialog.exec() != QDialog.DialogCode.Accepted or not confirm_overwrite(window, dialog.path()):
        return None
    opts = as_on_screen(dialog.options(), window.canvas, view, window.candidate, None,
                        screen_state(window))
    return exported(window, run_animation_export(window, window.event, window.detector,
                                                 dialog.path(), opts, dialog.kind(),
                                                 dialog.frames(), dialog.fps()))


def open_story(window: MainWindow, lecture: Lecture, name: str) -> Any:
    """Stories → NAME: open the story player in its own window."""
    try:
        player = StoryPlayer.open(name, window)
    except Exception as exc:  # a broken story file must not take the window down
        show_error(window, "Cannot open story", str(exc).splitlines()[0] if str(exc) else name)
        return None
    lecture.players.append(player)
    return player
