"""Flow dock (heavy-ion files only): dN/d(φ − Ψ2) of the event with its fit, v2 vs centrality.

Left: the current event's tracks (0.2 < pT < 5 GeV) against their angle to the
event plane of the *other* η sub-event (η < −0.5 vs η > 0.5, so a track never
defines its own plane), with the curve 1 + 2 v2^obs cos 2Δφ. Right: v2{2,
|Δη| > 1} per centrality class of the whole file (``commands.flow.measure``)
beside the published STAR / ALICE points. Hidden for pp files.
"""

from __future__ import annotations

from typing import Any

import awkward as ak
import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from collider_viz.export.flow_plot import draw
from collider_viz.physics import flow
from collider_viz.physics.flow import reference_series
from collider_viz.scene.summary import is_heavy_ion

#: Files with more events than this get no in-window v2 vs centrality (use ``collider-viz flow``).
MAX_EVENTS_FOR_FILE_V2 = 2000


def relative_angles(tracks: ak.Array, gap: float = flow.ETA_GAP) -> np.ndarray:
    """φ − Ψ2 of the other sub-event, folded to (−π/2, π/2], for each selected track."""
    trk = flow.selected(tracks)
    out = []
    for side, other in ((trk.eta < -gap / 2, trk.eta > gap / 2),
                        (trk.eta > gap / 2, trk.eta < -gap / 2)):
        q = complex(flow.q_vector(ak.to_numpy(trk.phi[other]).astype(float)))
        if abs(q) > 0:
            dphi = ak.to_numpy(trk.phi[side]).astype(float) - np.angle(q) / 2
            out.append(np.angle(np.exp(2j * dphi)) / 2)
    return np.concatenate(out) if out else np.zeros(0)


class FlowPanel(QWidget):
    """The two plots; :meth:`show_event` refreshes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(figsize=(7.5, 3.2), dpi=90)
        self.canvas = FigureCanvasQTAgg(self.figure)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas)
        self.ax_event, self.ax_file = self.figure.subplots(1, 2)
        self.file_result: dict[str, Any] | None = None
        self.v2_obs = float("nan")

    def show_event(self, event: Any) -> None:
        """Draw ``event``'s azimuthal distribution and the file's v2 (if measured)."""
        ax = self.ax_event
        ax.clear()
        dphi = relative_angles(event["tracks"]) if "tracks" in event else np.zeros(0)
        counts, edges = np.histogram(dphi, bins=12, range=(-np.pi / 2, np.pi / 2))
        self.v2_obs = float(np.mean(np.cos(2 * dphi))) if len(dphi) else float("nan")
        centres = (edges[:-1] + edges[1:]) / 2
        ax.errorbar(centres, counts, yerr=np.sqrt(counts), fmt="o", color="k", ms=3)
        x = np.linspace(-np.pi / 2, np.pi / 2, 100)
        mean = len(dphi) / len(counts)
        ax.plot(x, mean * (1 + 2 * self.v2_obs * np.cos(2 * x)), color="tab:red",
                label=f"1 + 2·{self.v2_obs:.3f}·cos 2Δφ (uncorrected)")
        ax.set_xlabel("φ − Ψ2 (other sub-event) [rad]")
        ax.set_ylabel("tracks / bin")
        ax.set_title(f"this event: {len(dphi)} tracks", fontsize=9)
        ax.legend(fontsize=7, loc="lower center")
        self._draw_file()
        self.figure.tight_layout()
        self.canvas.draw_idle()

    def _draw_file(self) -> None:
        ax = self.ax_file
        ax.clear()
        if self.file_result is None:
            ax.text(0.5, 0.5, "v2 of the file: run collider-viz flow FILE", ha="center",
                    transform=ax.transAxes, fontsize=8)
            return
        refs = reference_series(self.file_result.get("sqrt_s")) or reference_series()
        draw(ax, self.file_result, refs)
        ax.set_title(f"file: {self.file_result['n_events']} events", fontsize=9)


def attach_flow(window: Any) -> QDockWidget:
    """Add the Flow dock to ``window`` (shown only while a heavy-ion file is open)."""
    panel = FlowPanel(window)
    dock = QDockWidget("Flow", window)
    dock.setObjectName("flowDock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    state = {"path": None}

    def on_event(event: Any) -> None:
        heavy = is_heavy_ion(event.info)
        dock.setVisible(heavy)
        if not heavy:
            return
        if state["path"] != event.info.path:
            state["path"] = event.info.path
            panel.file_result = _file_flow(event.info.path)
        panel.show_event(event)

    window.event_shown.connect(on_event)
    window.flow_dock = dock
    return dock


def _file_flow(path: str) -> dict[str, Any] | None:
    from collider_viz.commands.flow import measure
    from collider_viz.io.registry import open_events
    try:
        with open_events(path) as source:
            if len(source) > MAX_EVENTS_FOR_FILE_V2:
                return None
        return measure(path)
    except Exception:  # noqa: BLE001 - the file plot is optional; the event plot remains
        return None
