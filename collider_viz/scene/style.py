"""Colours of the event display: themes, palettes and per-object colour rules.

Everything here is plain numpy so the rules can be tested without a canvas.
Colours are RGBA float32 in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

THEMES: tuple[str, ...] = ("dark", "light")
COLOR_MODES: tuple[str, ...] = ("charge", "pt", "species")

# Dark-theme colours (CMS Fireworks / iSpy style); the light theme darkens them.
_DARK: dict[str, str] = {
    "background": "#000000",
    "text": "#e6e6e6",
    "beam": "#9a9a9a",
    "grid": "#3c3c3c",
    "highlight": "#ffff40",  # photons; other collections: Style.highlight_color
    "positive": "#ff6a2a",
    "negative": "#2ab8ff",
    "neutral": "#c8c8c8",
    "photons": "#ffe14d",
    "photon_tower": "#d7f03c",
    "electrons": "#3cff8c",
    "electron_tower": "#3cff8c",
    "muons": "#ff2e2e",
    "jets": "#ffb020",
    "met": "#ff4dff",
    "vertices": "#ffff66",
}
_LIGHT_OVERRIDES: dict[str, str] = {
    "background": "#ffffff",
    "text": "#1a1a1a",
    "beam": "#505050",
    "grid": "#c8c8c8",
    "highlight": "#e0007a",
    "vertices": "#202020",
}

CALO_COLORS: dict[str, str] = {
    "EB": "#3ccf4e", "EE": "#8be05a", "HB": "#3d7dff", "HE": "#6a9cff",
    "HF": "#b07aff", "HO": "#3cc8c8",
}
# |pdgId| -> colour: pi, K, p, e, mu; anything else uses "other".
SPECIES_COLORS: dict[int, str] = {
    211: "#ff9d3c", 321: "#ff4df0", 2212: "#4dff6a", 11: "#ffff4d", 13: "#ff3030",
}
SPECIES_OTHER = "#a0a0a0"
SPECIES_NAMES: dict[int, str] = {211: "π", 321: "K", 2212: "p", 11: "e", 13: "μ"}

# pT colour ramp on log10(pT / GeV) from 0.1 to 100 GeV: blue -> cyan -> green -> yellow -> red.
_PT_RAMP = ("#3a5cff", "#19d3ff", "#3cff5a", "#ffee2a", "#ff2a1a")
PT_LOG_RANGE: tuple[float, float] = (-1.0, 2.0)
#: Heavy-ion events: almost every track is below a few GeV, so the ramp ends at 10 GeV.
PT_LOG_RANGE_HEAVY_ION: tuple[float, float] = (-1.0, 1.0)


def rgba(color: Any, alpha: float | None = None) -> np.ndarray:
    """Convert ``"#rrggbb"``, ``"#rrggbbaa"`` or an RGB(A) sequence to RGBA float32.

    Sequences with any component above 1 are read as 0-255 values.
    """
    if isinstance(color, str):
        text = color.lstrip("#")
        vals = [int(text[i:i + 2], 16) / 255.0 for i in range(0, len(text), 2)]
    else:
        vals = [float(c) for c in color]
        if max(vals) > 1.0:
            vals = [c / 255.0 for c in vals]
    if len(vals) == 3:
        vals.append(1.0)
    out = np.asarray(vals[:4], dtype=np.float32)
    if alpha is not None:
        out[3] = alpha
    return out


def for_theme(colors: np.ndarray, theme: str) -> np.ndarray:
    """Adapt dark-theme colours to ``theme``: the light theme darkens them for white paper."""
    out = np.array(colors, dtype=np.float32, copy=True)
    if theme == "light":
        out[..., :3] *= 0.62
    return out


@dataclass(frozen=True)
class Style:
    """Drawing settings shared by all layers.

    Attributes
    ----------
    theme : str
        ``"dark"`` or ``"light"``.
    color_by : str
        ``"charge"``, ``"pt"`` or ``"species"`` (charged tracks only).
    line_width : float
        Width of track-like lines in pixels.
    pt_range : tuple of float
        log10 of the pT (GeV) at the two ends of the pT colour ramp.
    """

    theme: str = "dark"
    color_by: str = "charge"
    line_width: float = 1.5
    pt_range: tuple[float, float] = PT_LOG_RANGE

    def color(self, key: str, alpha: float | None = None) -> np.ndarray:
        """Named theme colour as RGBA."""
        if self.theme == "light" and key in _LIGHT_OVERRIDES:
            return rgba(_LIGHT_OVERRIDES[key], alpha)
        return for_theme(rgba(_DARK[key], alpha), self.theme)

    def highlight_color(self, name: str | None = None) -> np.ndarray:
        """Colour of highlighted objects of collection ``name``.

        Photons keep their bright yellow (the caption of a diphoton candidate
        says "yellow"); every other collection is lifted towards white (dark
        theme) or drawn in the theme's highlight colour (light theme), so a
        highlighted track or muon is never mistaken for a photon.
        """
        if self.theme == "light" or name == "photons":
            return self.color("highlight")
        out = rgba(_DARK.get(name or "", _DARK["neutral"]))
        out[:3] = 0.35 * out[:3] + 0.65
        return out


def charge_colors(charge: np.ndarray, style: Style) -> np.ndarray:
    """Per-object colours by the sign of the charge (+ orange-red, − cyan-blue, 0 grey)."""
    charge = np.asarray(charge)
    out = np.empty((len(charge), 4), dtype=np.float32)
    out[:] = style.color("neutral")
    out[charge > 0] = style.color("positive")
    out[charge < 0] = style.color("negative")
    return out


def pt_colors(pt: np.ndarray, style: Style) -> np.ndarray:
    """Per-object colours from a blue-to-red ramp on log10 pT over ``style.pt_range``."""
    lo, hi = style.pt_range
    x = (np.log10(np.maximum(np.asarray(pt, dtype=np.float64), 1e-6)) - lo) / (hi - lo)
    x = np.clip(x, 0.0, 1.0)
    ramp = np.stack([rgba(c) for c in _PT_RAMP])
    knots = np.linspace(0.0, 1.0, len(ramp))
    out = np.ones((len(x), 4), dtype=np.float32)
    for ch in range(3):
        out[:, ch] = np.interp(x, knots, ramp[:, ch])
    return for_theme(out, style.theme)


def species_colors(pdg_id: np.ndarray | None, n: int, style: Style) -> np.ndarray:
    """Per-object colours by particle species (|pdgId|: π, K, p, e, μ; others grey)."""
    out = np.empty((n, 4), dtype=np.float32)
    out[:] = rgba(SPECIES_OTHER)
    if pdg_id is not None:
        apdg = np.abs(np.asarray(pdg_id))
        for code, color in SPECIES_COLORS.items():
            out[apdg == code] = rgba(color)
    return for_theme(out, style.theme)


def track_colors(fields: dict[str, np.ndarray], style: Style) -> np.ndarray:
    """Per-object track colours by ``style.color_by``.

    Parameters
    ----------
    fields : dict of str to np.ndarray
        At least ``pt`` and ``charge``; ``pdgId`` optional.
    style : Style
        Theme and colour mode.

    Returns
    -------
    np.ndarray
        (n, 4) float32 RGBA.
    """
    if style.color_by == "pt":
        return pt_colors(fields["pt"], style)
    if style.color_by == "species":
        return species_colors(fields.get("pdgId"), len(fields["pt"]), style)
    return charge_colors(fields["charge"], style)


#: Tracks drawn fully opaque up to this many; busier events fade as 1/sqrt(n).
OPAQUE_TRACKS = 1500
MIN_TRACK_ALPHA = 0.35


def density_alpha(n: int) -> float:
    """Line opacity for ``n`` drawn tracks: 1 for a pp event, ~0.35 for central Pb+Pb.

    Thousands of overlapping opaque lines turn into a solid blob; fading them
    with the multiplicity keeps the jet-like structure and the loopers visible.
    """
    if n <= OPAQUE_TRACKS:
        return 1.0
    return float(max(MIN_TRACK_ALPHA, np.sqrt(OPAQUE_TRACKS / n)))


def calo_colors(subdet: np.ndarray, style: Style, alpha: float = 0.9) -> np.ndarray:
    """Per-deposit colours by calorimeter subdetector (EB/EE green, HB/HE blue ...)."""
    subdet = np.asarray(subdet).astype(str)
    out = np.empty((len(subdet), 4), dtype=np.float32)
    out[:] = rgba("#c0c0c0", alpha)
    for name, color in CALO_COLORS.items():
        out[subdet == name] = rgba(color, alpha)
    return for_theme(out, style.theme)
