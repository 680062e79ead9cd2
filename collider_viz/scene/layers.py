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
from collider_viz.scene.lego import lego_bars
from collider_viz.scene.parts import LinePart, MeshPart, Part
from collider_viz.scene.style import Style, track_colors
from collider_viz.scene.views import object_signs

PATH_VIEWS = ("3d", "rphi", "rz")


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


def column(array: ak.Array | None, name: str, default: float | None = 0.0) -> np.ndarray | None:
    """One field of a 1-D record array as a flat numpy array (``default`` where absent/None)."""
    if array is None:
        return None
    if name not in ak.fields(array):
        return None if default is None else np.full(len(array), default, dtype=np.float64)
    values = array[name]
    if default is not None:
        values = ak.fill_none(values, default)
    return np.asarray(ak.to_numpy(values))


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
        self.signs = np.zeros(0, np.float32)
        self.visible = True
        self.threshold = 0.0
        self.view = "3d"
        self.style = Style()
        self._make_parts()

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

    def set_data(self, array: ak.Array | None, ctx: BuildContext) -> None:
        """Take a new event's collection (None or empty: nothing to draw)."""
        self.n = 0 if array is None else len(array)
        wanted = self.fields_wanted + ("vx", "vy", "vz", "pdgId")
        self.fields = {}
        if self.n:
            present = set(ak.fields(array))
            self.fields = {k: column(array, k) for k in wanted if k in present or k in self.fields_wanted}
        key = self.threshold_field
        self.values = self.fields[key] if key and self.n else np.full(self.n, np.inf)
        phi = self.fields.get("phi", np.zeros(self.n))
        self.signs = object_signs(phi) if self.n else np.zeros(0, np.float32)
        if self.n:
            self._build(ctx)
            self._recolor()
        self.refresh()

    def mask(self) -> np.ndarray:
        """Objects passing the threshold."""
        return np.asarray(self.values >= self.threshold, dtype=bool)

    def n_drawn(self) -> int:
        """Number of objects drawn (0 while the layer is hidden)."""
        return int(self.mask().sum()) if self.visible else 0

    def refresh(self) -> None:
        """Push mask and view into every part."""
        mask = self.mask()
        for part in self.parts:
            part.update(self.view, mask, self.signs, self.visible and self.n > 0)

    def set_view(self, view: str) -> None:
        self.view = view
        self.refresh()

    def set_threshold(self, value: float) -> None:
        self.threshold = float(value)
        self.refresh()

    def set_visible(self, visible: bool) -> None:
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
    """Charged tracks: exact helices up to the tracker, all in one ``Line``."""

    lego_half_width: float | None = None

    def _make_parts(self) -> None:
        self.line = LinePart(self.parent, PATH_VIEWS, width=self.style.line_width)
        self.parts.append(self.line)
        self.lego = self._lego_part() if self.lego_half_width else None

    def _paths(self, ctx: BuildContext) -> Any:
        det = ctx.detector
        vx, vy, vz = self._origin(ctx)
        f = self.fields
        return helix.helix_paths(f["pt"], f["eta"], f["phi"], f["charge"], vx, vy, vz,
                                 field_t=det.field_t, r_max=det.tracker_radius,
                                 z_max=det.tracker_half_length)

    def _build(self, ctx: BuildContext) -> None:
        paths = self._paths(ctx)
        counts = np.diff(np.asarray(paths.offsets))
        owner = np.repeat(np.arange(len(counts)), counts)
        self.line.set_geometry(paths.points, owner, paths.connect())
        if self.lego is not None:
            self._set_lego(self.lego, self.fields["pt"], self.lego_half_width)

    def _line_colors(self) -> np.ndarray:
        return track_colors(self.fields, self.style)

    def _recolor(self) -> None:
        colors = self._line_colors()
        self.line.set_colors(colors)
        if self.lego is not None:
            self.lego.set_colors(colors)


class MuonLayer(TrackLayer):
    """Muons: through the tracker, bending back in the yoke, to the muon stations."""

    lego_half_width = 0.06

    def _paths(self, ctx: BuildContext) -> Any:
        vx, vy, vz = self._origin(ctx)
        f = self.fields
        return helix.muon_paths(f["pt"], f["eta"], f["phi"], f["charge"], vx, vy, vz, ctx.detector)

    def _line_colors(self) -> np.ndarray:
        return np.tile(self.style.color("muons"), (self.n, 1))
