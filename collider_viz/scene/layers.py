"""Layer base class and the layers drawn as helices (tracks, electrons, muons).

One layer per collection (napari's adapter pattern): it converts the
collection's columns into world geometry once per event, then reacts to view,
threshold, visibility and style changes by updating masks and colours only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import awkward as ak
import numpy as np

from collider_viz.physics import helix
from collider_viz.scene import cuts as cutlib
from collider_viz.scene.cuts import Cuts, column
from collider_viz.scene.lego import lego_bars
from collider_viz.scene.parts import LinePart, MeshPart, Part
from collider_viz.scene.sampling import (
    TrackGeometry,
    adaptive_helices,
    looper_mask,
    recorded_paths,
    track_geometry,
    with_recorded,
)
from collider_viz.scene.style import Style, density_alpha, track_colors
from collider_viz.scene.summary import noun
from collider_viz.scene.views import object_signs

PATH_VIEWS = ("3d", "rphi", "rz")
__all__ = ["BuildContext", "Layer", "MuonLayer", "TrackLayer", "column"]


@dataclass
class BuildContext:
    """What a layer needs besides its own collection.

    Attributes
    ----------
    detector : Detector
        Field and radii (collider_viz.physics.detector).
    origin : np.ndarray
        (3,) primary vertex in metres; objects without a reference point start here.
    """

    detector: Any
    origin: np.ndarray


class Layer:
    """Base of all collection layers.

    Parameters
    ----------
    name : str
        Collection name, e.g. ``"tracks"``.
    parent : vispy node
        The scene the parts are drawn into.
    """

    threshold_field: str | None = "pt"
    fields_wanted: tuple[str, ...] = ("pt", "eta", "phi", "charge")

    def __init__(self, name: str, parent: Any) -> None:
        self.name = name
        self.parent = parent
        self.parts: list[Part] = []
        self.fields: dict[str, np.ndarray] = {}
        self.n = 0
        self.values = np.zeros(0)
        self.valid = np.zeros(0, bool)
        self.abs_eta: np.ndarray | None = None
        self.signs = np.zeros(0, np.float32)
        self.visible = True
        self.cuts = Cuts()
        self.view = "3d"
        self.style = Style()
        self._order: np.ndarray | None = None
        self._make_parts()

    # The threshold is kept as an attribute for callers that read or set it directly.
    @property
    def threshold(self) -> float:
        """Minimum pT (energy for calo) drawn, GeV."""
        return self.cuts.threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cuts.threshold = float(value)

    @staticmethod
    def select(event: Any, name: str) -> ak.Array | None:
        """The layer's input from ``event``: its collection ``name`` (None when absent)."""
        return event.get(name) if event is not None else None

    def _make_parts(self) -> None:
        """Create the parts (visuals); subclasses append to ``self.parts``."""

    def _build(self, ctx: BuildContext) -> None:
        """Compute world geometry for the current ``self.fields``."""
        raise NotImplementedError

    def _recolor(self) -> None:
        """Push colours for the current style into the parts."""
        raise NotImplementedError

    def _origin(self, ctx: BuildContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = []
        for i, key in enumerate(("vx", "vy", "vz")):
            values = self.fields.get(key)
            out.append(np.full(self.n, ctx.origin[i]) if values is None else values)
        return out[0], out[1], out[2]

    def _read_fields(self, array: ak.Array | None) -> None:
        """Columns of the new collection; invalid objects get harmless stand-in values."""
        self.n = 0 if array is None else len(array)
        self.fields = {}
        if self.n:
            present = set(ak.fields(array))
            wanted = self.fields_wanted + ("vx", "vy", "vz", "pdgId")
            self.fields = {k: column(array, k) for k in wanted
                           if k in present or k in self.fields_wanted}
        self.valid = cutlib.valid_mask(self.fields, self.n)
        self.fields = cutlib.neutralise(self.fields, self.valid)
        key = self.threshold_field
        self.values = self.fields[key] if key and self.n else np.full(self.n, np.inf)
        eta = self.fields.get("eta")
        self.abs_eta = None if eta is None else np.abs(eta)
        phi = self.fields.get("phi", np.zeros(self.n))
        self.signs = object_signs(phi) if self.n else np.zeros(0, np.float32)
        self._order = None

    def set_data(self, array: ak.Array | None, ctx: BuildContext) -> None:
        """Take a new event's collection (None or empty: nothing to draw)."""
        self._read_fields(array)
        if self.n and getattr(ctx.detector, "forward", False):   # ρ signed by x (bending plane)
            self.signs = object_signs(self.fields.get("phi", np.zeros(self.n)), horizontal=True)
        if self.n:
            self._build(ctx)
            self._recolor()
        self.refresh()

    # ---- what is drawn ---------------------------------------------------
    def passing(self) -> np.ndarray:
        """Valid objects passing the pT/energy threshold and the |η| cut (before any cap)."""
        return cutlib.passing(self.values, self.abs_eta, self.valid, self.cuts)

    def mask(self) -> np.ndarray:
        """Objects drawn when the layer is visible: :meth:`passing`, then the cap."""
        mask = self.passing()
        if self.cuts.cap is None:
            return mask
        if self._order is None:
            self._order = np.argsort(-np.asarray(self.values), kind="stable")
        return cutlib.apply_cap(mask, self._order, self.cuts.cap)

    def n_drawn(self) -> int:
        """Number of objects drawn (0 while the layer is hidden)."""
        return int(self.mask().sum()) if self.visible else 0

    def n_skipped(self) -> int:
        """Objects with non-finite kinematics (never drawn)."""
        return int(self.n - self.valid.sum())

    def refresh(self) -> None:
        """Push mask and view into every part."""
        mask = self.mask()
        for part in self.parts:
            part.update(self.view, mask, self.signs, self.visible and self.n > 0)

    def set_view(self, view: str) -> None:
        """Show the layer in ``view``."""
        self.view = view
        self.refresh()

    def set_threshold(self, value: float) -> None:
        """Draw only objects with pT (energy) >= ``value`` GeV."""
        self.cuts.threshold = float(value)
        self.refresh()

    def set_eta_cut(self, eta_max: float | None) -> None:
        """Draw only objects with |η| <= ``eta_max`` (None: no cut)."""
        self.cuts.eta_max = np.inf if eta_max is None else float(eta_max)
        self.refresh()

    def set_cap(self, cap: int | None) -> None:
        """Draw at most ``cap`` objects, highest pT first (None: all)."""
        self.cuts.cap = None if cap is None else max(int(cap), 0)
        self.refresh()

    def set_visible(self, visible: bool) -> None:
        """Show or hide the whole layer."""
        self.visible = bool(visible)
        self.refresh()

    def set_style(self, style: Style) -> None:
        """New theme, colour mode or line width."""
        self.style = style
        for part in self.parts:
            if isinstance(part, LinePart):
                part.visual.set_data(width=style.line_width)
        if self.n:
            self._recolor()
        self.refresh()

    def notes(self) -> list[str]:
        """Lines for the canvas's notices about how this layer draws its objects."""
        return []

    def primitives(self) -> list[tuple[str, tuple[np.ndarray, ...], np.ndarray]]:
        """Drawn primitives of the visible objects in the current view (for picking)."""
        if not self.visible or not self.n:
            return []
        mask, out = self.mask(), []
        for part in self.parts:
            prim = part.primitives(self.view, mask, self.signs)
            if prim is not None:
                out.append(prim)
        return out

    def _lego_part(self) -> MeshPart:
        part = MeshPart(self.parent, ("lego",), space="lego")
        self.parts.append(part)
        return part

    def _set_lego(self, part: MeshPart, value: np.ndarray, half_width: float) -> None:
        verts, faces, owner = lego_bars(self.fields["eta"], self.fields["phi"], value, half_width)
        part.set_geometry(verts, faces, owner)


class TrackLayer(Layer):
    """Charged tracks, all in one ``Line``: the experiment's own trajectory points where
    the collection has them (``path_x/_y/_z``), else exact helices to the
    detector's track end surface (CMS: the calorimeter face), loopers for up to
    ``detector.max_turns`` turns.
    """

    lego_half_width: float | None = None
    offsets = np.zeros(1, np.int64)
    recorded: tuple[np.ndarray, np.ndarray] | None = None
    from_recorded = np.zeros(0, bool)
    loopers = np.zeros(0, bool)
    max_turns = 0.0
    end_radius = 0.0

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, PATH_VIEWS, width=self.style.line_width)
        # Faded lines blend over each other instead of hiding what is behind them.
        self.line.visual.set_gl_state("translucent", depth_test=True, depth_mask=False)
        self.parts.append(self.line)
        self.lego = self._lego_part() if self.lego_half_width else None

    def _reach(self, detector: Any) -> tuple[float, float] | None:
        """Radius and half-length (m) where the lines end; None: the detector's track end."""
        return None

    def _paths(self, ctx: BuildContext) -> TrackGeometry:
        f, det = self.fields, ctx.detector
        reach = self._reach(det)
        if reach is not None:
            return adaptive_helices(f["pt"], f["eta"], f["phi"], f["charge"],
                                    *self._origin(ctx), field_t=det.field_t,
                                    r_max=reach[0], z_max=reach[1])
        vx, vy, vz = self._origin(ctx)
        self.loopers = looper_mask(f["pt"], f["charge"], vx, vy, det, f["eta"], vz) & self.valid
        self.max_turns, self.end_radius = float(det.max_turns), float(det.track_end_radius)
        return track_geometry(f["pt"], f["eta"], f["phi"], f["charge"], *self._origin(ctx), det)

    def set_data(self, array: ak.Array | None, ctx: BuildContext) -> None:
        """Take a new event's collection, with its recorded trajectories if it has them."""
        self.recorded = recorded_paths(array) if array is not None and len(array) else None
        self.loopers = np.zeros(0, bool)
        super().set_data(array, ctx)

    def notes(self) -> list[str]:
        """How many tracks are drawn from recorded points, and how many loopers the cap cuts."""
        lines = []
        n_rec = int((self.from_recorded & self.valid).sum()) if self.n else 0
        if n_rec:
            lines.append(f"{n_rec:,} {noun(self.name, n_rec)} drawn through the experiment's "
                         "own points")
        n_loop = int((self.loopers & ~self.from_recorded).sum()) if len(self.loopers) else 0
        if n_loop:
            lines.append(f"{n_loop:,} low-pT {noun(self.name, n_loop)} curling inside r = "
                         f"{self.end_radius:.2f} m cut at {self.max_turns:g} "
                         f"turn{'' if self.max_turns == 1 else 's'} (display cap)")
        return lines

    def _build(self, ctx: BuildContext) -> None:
        geometry, self.from_recorded = with_recorded(self._paths(ctx), self.recorded)
        self.line.set_geometry(geometry.points, geometry.owner, geometry.connect())
        self.offsets = geometry.offsets
        if self.lego is not None:
            self._set_lego(self.lego, self.fields["pt"], self.lego_half_width)

    def _line_colors(self) -> np.ndarray:
        return track_colors(self.fields, self.style)

    def _recolor(self) -> None:
        colors = self._line_colors()
        faded = colors.copy()
        faded[:, 3] *= density_alpha(self.n)
        self.line.set_colors(faded)
        if self.lego is not None:
            self.lego.set_colors(colors)


class MuonLayer(TrackLayer):
    """Muons: through the tracker, bending back in the yoke, to the muon stations."""

    lego_half_width = 0.06

    def _paths(self, ctx: BuildContext) -> TrackGeometry:
        f = self.fields
        paths = helix.muon_paths(f["pt"], f["eta"], f["phi"], f["charge"], *self._origin(ctx),
                                 ctx.detector)
        owner = np.repeat(np.arange(len(paths), dtype=np.int64), paths.counts())
        return TrackGeometry(paths.points, np.asarray(paths.offsets), owner)

    def _line_colors(self) -> np.ndarray:
        return np.tile(self.style.color("muons"), (self.n, 1))
