"""Scanning a file for candidates off the GUI thread, and helpers of the candidate docks.

:class:`ScanWorker` is a :class:`QThread` that runs
:func:`collider_viz.physics.scan.scan_source` (the code behind
``collider-viz scan``) over a file a slice of entries at a time and reports
the merged result as it goes (at most every :data:`UPDATE_SECONDS`: each
report redraws the spectrum on the GUI thread), so the spectrum fills up
while the window stays responsive. It checks a :class:`threading.Event`
between batches.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from PyQt6.QtCore import QObject, QThread, pyqtSignal

from collider_viz.gui.errors import describe
from collider_viz.physics.scan import DEFAULT_STEP, ScanPlan, ScanResult, scan_source
from collider_viz.scene.summary import is_heavy_ion

SLICES = 40
"""A file is scanned in about this many slices (the scan can stop after each)."""
MIN_SLICE = 100
UPDATE_SECONDS = 0.25
"""Least time between two partial results (a redraw of the spectrum costs ~0.1 s)."""
#: words of a process text or file name -> preset; CMS primary-dataset names (DoubleMu,
#: DoubleElectron, DoubleEG, DoublePhoton, Muonia) say what the trigger selected
_PRESET_HINTS = (("h4l", ("4l", "zz", "four-lepton")),
                 ("hgg", ("gamma gamma", "diphoton", "γγ", "hgg", "doublephoton")),
                 ("jpsi", ("jpsi", "j/psi", "j/ψ", "muonia")),
                 ("zmumu", ("zmumu", "dimuon", "mu mu", "μμ", "doublemu", "singlemu")),
                 ("zee", ("zee", "dielectron", "doubleelectron", "doubleeg", "singleelectron")))
_TEX = ((r"\gamma", "γ"), (r"\mu", "μ"), (r"\ell", "ℓ"), (r"\tau", "τ"), ("{", ""), ("}", ""),
        ("$", ""), ("\\", ""))


def choose_preset(path: str, info: Any, available: Any = ()) -> str | None:
    """The preset a file most likely wants: from its process text and name, else its objects.

    Returns
    -------
    str or None
        A preset name; ``"hgg"`` when the file does not say what it holds;
        None when it has none of the objects a preset pairs (photons,
        electrons, muons), e.g. a heavy-ion file of tracks only; a heavy-ion
        file gets the dimuon preset where it has muons, else None (an empty
        m_γγ spectrum under a Pb+Pb event says nothing true).
    """
    extra = getattr(info, "extra", None) or {}
    text = f"{extra.get('process', '')} {os.path.basename(path)}".lower()
    for preset, words in _PRESET_HINTS:
        if any(word in text for word in words):
            return preset
    have = set(available or ())
    if str(getattr(info, "detector", "")).lower() == "lhcb" and "tracks" in have:
        return "b2hhh"  # the B2HHH exercise ntuples: one B candidate (three hadrons) per row
    if is_heavy_ion(info):  # no diphoton spectrum for Pb+Pb or Au+Au: dimuons where there are muons
        return "zmumu" if "muons" in have else None
    for preset, needs in (("hgg", "photons"), ("zmumu", "muons"), ("zee", "electrons")):
        if needs in have:
            return preset
    return None if have else "hgg"


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
        Everything scanned so far (a new object each time), after the first
        slice and then at most every ``interval`` seconds (never for the last
        slice: ``finished_scan`` reports it).
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
        self.interval = UPDATE_SECONDS

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
            return self._slices(source)
        finally:
            source.close()

    def _slices(self, source: Any) -> ScanResult:
        n = len(source)
        size = min(max(-(-n // SLICES), MIN_SLICE), DEFAULT_STEP)
        parts: list[ScanResult] = []
        reported = -float("inf")
        for start in range(0, max(n, 1), size):
            parts.append(scan_source(source, plan=self.plan, start=start,
                                     stop=start + size, cancel=self.cancel))
            if self.cancel.is_set():
                merged = _merge(parts)
                merged.cancelled = merged.n_events < n
                return merged
            last = start + size >= n  # finished_scan follows at once
            if not last and time.monotonic() - reported >= self.interval:
                self.partial.emit(_merge(parts))
                reported = time.monotonic()
        return _merge(parts)


def _merge(parts: list[ScanResult]) -> ScanResult:
    empty = parts[0].histogram.copy()
    empty.reset()
    merged = ScanResult.merge(parts, empty=empty)
    # merge() tests its first part for truth, which is False with no candidates
    merged.axis_label, merged.sqrt_s = parts[0].axis_label, parts[0].sqrt_s
    return merged
