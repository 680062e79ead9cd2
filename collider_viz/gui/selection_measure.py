"""Pick and measure: clicked objects form a selection whose mass, ΣpT and charges show at once.

A plain click on a track, lepton, photon or jet makes it the selection; a
shift-click adds it (or takes it out again); a click on nothing or the key C
clears it; L, M, E and G select the drawn leptons, muons, electrons, photons
(keys only). The numbers come from :func:`collider_viz.masterclass.measure.measure`
(no Qt); the selected objects are highlighted together on the canvas.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from collider_viz.masterclass.measure import Measurement, Pick, measure, toggle
from collider_viz.physics.event import PARTICLE_COLLECTIONS


class SelectionMeasure(QObject):
    """The window's selection of picked objects and its measurement.

    Parameters
    ----------
    window : MainWindow
        Uses its ``picker`` (signals ``picked``, ``missed``, attribute ``shift``),
        ``event``, ``control.canvas`` and the signal ``event_shown``.

    Signals
    -------
    changed(Measurement)
        The selection or the event changed.
    """

    changed = pyqtSignal(object)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.picks: tuple[Pick, ...] = ()
        self.measurement = Measurement((), None, 0.0, 0.0, ())
        window.picker.picked.connect(self._on_picked)
        window.picker.missed.connect(self.clear)
        self._drawn = False  # whether the canvas shows our selection now
        window.event_shown.connect(self._new_event)

    def _new_event(self, _event: Any) -> None:
        """A new event has its own highlight (a candidate's objects): start empty, draw nothing."""
        self.picks, self._drawn = (), False
        self.measurement = Measurement((), None, 0.0, 0.0, ())
        self.changed.emit(self.measurement)

    def _on_picked(self, name: str, index: int) -> None:
        self.pick(name, index, add=bool(getattr(self.window.picker, "shift", False)))

    def pick(self, name: str, index: int, add: bool = False) -> None:
        """Select object ``index`` of ``name`` (``add``: toggle it in the selection)."""
        if name not in PARTICLE_COLLECTIONS:
            return
        self.picks = toggle(self.picks, (name, int(index)), add)
        self._update()

    def select_all(self, names: tuple[str, ...]) -> None:
        """Select the objects of collections ``names`` that are drawn (keys L and G):
        shown collections, pT at or above the Display panel's cut."""
        event = self.window.event
        if event is None:
            return
        state = self.window.collections.state()
        picks = []
        for name in names:
            if name not in event or not state["visible"].get(name, True):
                continue
            cut = state["thresholds"].get(name, 0.0)
            picks += [(name, i) for i, pt in enumerate(event[name].pt) if pt >= cut]
        self.picks = tuple(picks)
        self._update()

    def clear(self) -> None:
        """Empty the selection (and the window's highlight)."""
        had, self.picks = bool(self.picks), ()
        if had and self.window.event is not None:
            self.window.control.highlight(None, None)
        self._update()

    def _update(self) -> None:
        event = self.window.event
        try:
            self.measurement = measure(event, self.picks) if event is not None and self.picks \
                else Measurement((), None, 0.0, 0.0, ())
        except (KeyError, IndexError):  # a stale pick of the previous event
            self.picks, self.measurement = (), Measurement((), None, 0.0, 0.0, ())
        self._highlight()
        # the window's own click slot highlights the one clicked object after this one
        QTimer.singleShot(0, self._highlight)
        self.changed.emit(self.measurement)

    def _highlight(self) -> None:
        selection: dict[str, list[int]] = {}
        for name, index in self.picks:
            selection.setdefault(name, []).append(index)
        if selection or self._drawn:
            self.window.control.canvas.highlight_many(selection)
        self._drawn = bool(selection)
