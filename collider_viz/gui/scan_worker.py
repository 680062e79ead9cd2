"""Scanning a file for candidates off the GUI thread, and helpers of the candidate docks.

:class:`ScanWorker` is a :class:`QThread` that runs
:func:`collider_viz.physics.scan.scan_source` (the code behind
``collider-viz scan``) over a file a slice of entries at a time and reports
the merged result after each slice, so the spectrum fills up while the window
stays responsive. It checks a :class:`threading.Event` between batches.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from PyQt6.QtCore import QObject, QThread, pyqtSignal

from collider_viz.gui.errors import describe
from collider_viz.physics.scan import DEFAULT_STEP, ScanPlan, ScanResult, scan_source

SLICES = 40
"""A file is scanned in about this many slices, one spectrum update each."""
MIN_SLICE = 100
_PRESET_HINTS = (("h4l", ("4l", "zz", "four-lepton")),
                 ("hgg", ("gamma gamma", "diphoton", "γγ", "hgg")),
                 ("jpsi", ("jpsi", "j/psi", "j/ψ")),
                 ("zmumu", ("zmumu", "dimuon", "mu mu", "μμ")),
                 ("zee", ("zee", "dielectron")))
_TEX = ((r"\gamma", "γ"), (r"\mu", "μ"), (r"\ell", "ℓ"), (r"\tau", "τ"), ("{", ""), ("}", ""),
        ("$", ""), ("\\", ""))


def choose_preset(path: str, info: Any, available: Any = ()) -> str:
    """The preset a file most likely wants: from its process text and name, else its objects."""
    extra = getattr(info, "extra", None) or {}
    text = f"{extra.get('process', '')} {os.path.basename(path)}".lower()
    for preset, words in _PRESET_HINTS:
        if any(word in text for word in words):
            return preset
    have = set(available or ())
    for preset, needs in (("hgg", "photons"), ("zmumu", "muons"), ("zee", "electrons")):
        if needs in have:
            return preset
    return "hgg"


def mass_text(axis_label: str, mass: float | None) -> str | None:
    """Overlay line such as ``"m_γγ = 125.3 GeV"`` from the preset's axis label."""
    if mass is None:
        return None
    symbol = axis_label.split("[")[0].strip()
    for tex, char in _TEX:
        symbol = symbol.replace(tex, char)
    return f"{symbol or 'm'} = {mass:.4g} GeV"


class ScanWorker(QThread):
    """Scan one file in slices of entries, reporting the merged result after each.

    Signals
    -------
    partial(ScanResult)
        Everything scanned so far (a new object each time).
    finished_scan(ScanResult)
        The final result (``cancelled`` when stopped early).
    failed(str)
        A one-line message when the scan cannot run.
    """

    partial = pyqtSignal(object)
    finished_scan = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, opener: Any, path: str, mapping: str | None, plan: ScanPlan,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.opener, self.path, self.mapping, self.plan = opener, path, mapping, plan
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = self._scan()
        except Exception as exc:  # reported in the panel, never raised into Qt
            self.failed.emit(describe(exc))
        else:
            self.finished_scan.emit(result)

    def _scan(self) -> ScanResult:
        source = self.opener(self.path, self.mapping)
        try:
            self.plan.check_source(source)
            n = len(source)
            size = min(max(-(-n // SLICES), MIN_SLICE), DEFAULT_STEP)
            parts: list[ScanResult] = []
            for start in range(0, max(n, 1), size):
                parts.append(scan_source(source, plan=self.plan, start=start,
                                         stop=start + size, cancel=self.cancel))
                merged = _merge(parts)
                if self.cancel.is_set():
                    merged.cancelled = merged.n_events < n
                    return merged
                self.partial.emit(merged)
            return merged
        finally:
            source.close()


def _merge(parts: list[ScanResult]) -> ScanResult:
    empty = parts[0].histogram.copy()
    empty.reset()
    merged = ScanResult.merge(parts, empty=empty)
    # merge() tests its first part for truth, which is False with no candidates
    merged.axis_label, merged.sqrt_s = parts[0].axis_label, parts[0].sqrt_s
    return merged
