"""``collider-viz scan FILE_OR_URL...``: select candidates and histogram their mass.

Examples::

    collider-viz scan data.root --select hgg --hist mgg.png
    collider-viz scan a.root b.root --select zmumu --filter "nMuon == 2" --json out.json
    collider-viz scan big.root --select hgg --workers 4 --json -

``--json`` writes one object ``{"candidates": [{"file", "entry", "run",
"lumi", "event", "mass"}...], "n_events", "histogram": {"edges", "counts"}}``
(``-`` for stdout), its candidate rows streamed as batches finish (see
:mod:`collider_viz.physics._scan_json`). Outputs are written atomically
(temporary file, then ``os.replace``), never over an existing file without
``--force`` and never over an input. Large local scans use one process per
core (``--workers N`` to choose). Ctrl-C stops the scan, writes nothing and
exits with 130.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.limits import MIN_SCAN_STEP
from collider_viz.physics._scan_json import JsonRows
from collider_viz.physics.scan import DEFAULT_STEP, ScanPlan, ScanResult, scan_files
from collider_viz.physics.selections import PRESETS

PLOT_FORMATS = ("png", "pdf", "svg")
SUMMARY_ROWS = 5
"""Candidates printed; the scan keeps no more rows than these (``--json`` streams them all)."""
EXPERIMENTS = {"cms": "CMS", "alice": "ALICE", "star": "STAR"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``scan`` arguments to ``parser``."""
    parser.add_argument("files", nargs="+", metavar="FILE_OR_URL", help="event files or URLs")
    parser.add_argument("--select", metavar="PRESET", type=str.lower, choices=list(PRESETS),
                        help="selection preset: " + ", ".join(PRESETS))
    parser.add_argument("--filter", metavar="EXPR",
                        help="filter expression, e.g. 'nPhoton >= 2 and mass > 110'")
    parser.add_argument("--json", metavar="OUT", help="write the candidates as JSON ('-': stdout)")
    parser.add_argument("--hist", metavar="OUT", help="draw the mass histogram (.png, .pdf, .svg)")
    parser.add_argument("--bins", metavar="N,LO,HI", help="histogram binning in GeV")
    parser.add_argument("--step-size", type=int, default=DEFAULT_STEP, metavar="N",
                        help=f"events per batch (default {DEFAULT_STEP})")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="processes on this machine (default: one per core for large files)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a dask scheduler, e.g. tcp://host:8786")
    parser.add_argument("--force", action="store_true", help="overwrite existing output files")
    parser.add_argument("--mapping", metavar="TOML",
                        help="TOML mapping (layout) for files of an unknown layout")


def run(args: argparse.Namespace) -> int:
    """Run the scan described by ``args``; return the exit status."""
    _check_args(args)
    plan = ScanPlan(args.select, args.filter, args.bins)  # a bad filter or --bins fails here
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    rows = JsonRows(args.json) if args.json else None
    try:
        result = scan_files(args.files, plan.selection, plan.filter, bins=plan.binning,
                            step=args.step_size, workers=args.workers, processes=None,
                            scheduler=args.scheduler, progress=bar,
                            sink_factory=rows.part if rows and not args.scheduler else None,
                            keep_rows=SUMMARY_ROWS)
        if bar is not None:
            bar.close()
            bar = None
        if rows is not None:
            rows.finish(result, args.files, args.force)
    finally:
        if bar is not None:
            bar.close()
        if rows is not None:
            rows.discard()
    if args.hist:
        atomic_write(args.hist, lambda fh: draw_histogram(result, fh, _plot_format(args.hist)),
                     force=args.force, inputs=args.files)
    if args.json != "-":
        _emit(summary(result, args.select) + "\n")
    return 0


def _emit(text: str) -> None:
    """Write to stdout; a closed pipe (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _check_args(args: argparse.Namespace) -> None:
    if not args.select and not args.filter:
        raise ColliderVizError("scan: give --select PRESET and/or --filter EXPR")
    if args.step_size < MIN_SCAN_STEP:
        raise ColliderVizError(f"scan: --step-size must be at least {MIN_SCAN_STEP} events "
                               f"(docs/LIMITS.md), not {args.step_size}")
    if args.workers is not None and args.workers < 1:
        raise ColliderVizError(f"scan: --workers must be at least 1, not {args.workers}")
    if getattr(args, "mapping", None):
        from collider_viz.io.formats.mapping import load_mapping
        from collider_viz.io.registry import set_default_mapping

        if args.scheduler:
            raise ColliderVizError("scan: --mapping works on this machine only, not with "
                                   "--scheduler")
        load_mapping(args.mapping)  # a bad mapping fails before any file is opened
        set_default_mapping(args.mapping)
    from collider_viz.export.atomic import check_target

    outs = [out for out in (args.json, args.hist) if out and out != "-"]
    if len(outs) == 2 and os.path.realpath(outs[0]) == os.path.realpath(outs[1]):
        raise ColliderVizError(f"scan: --json and --hist both name {outs[0]}")
    for out in outs:
        check_target(out, args.force, inputs=args.files)
    if args.hist:
        _plot_format(args.hist)


def _plot_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in PLOT_FORMATS:
        raise ColliderVizError(f"{path}: unknown image type {ext or '(none)'!r}; "
                               f"expected {', '.join('.' + f for f in PLOT_FORMATS)}")
    return ext


class ProgressBar:
    """A one-line progress bar on a terminal stream; call it as ``bar(done, total)``."""

    def __init__(self, stream: IO[str], width: int = 30) -> None:
        self.stream, self.width, self.shown = stream, width, False

    def __call__(self, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        full = int(round(frac * self.width))
        bar = "#" * full + "." * (self.width - full)
        self.stream.write(f"\r[{bar}] {frac:6.1%}  {done:,}/{total:,} events")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the line."""
        if self.shown:
            self.stream.write("\r" + " " * (self.width + 50) + "\r")
            self.stream.flush()


def atomic_write(path: str, write: Callable[[IO[bytes]], None], force: bool = False,
                 inputs: Sequence[str] = ()) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it.

    Never over an existing file without ``force``, never over one of
    ``inputs``; see :func:`collider_viz.export.atomic.atomic_path`.
    """
    from collider_viz.export.atomic import atomic_path

    with atomic_path(path, force=force, inputs=inputs) as tmp, open(tmp, "wb") as fh:
        write(fh)


def experiment_name(detector: str | None) -> str:
    """The experiment label of a detector: ``"CMS"``, ``"ALICE"``, ``"STAR"`` (CMS when unknown)."""
    text = (detector or "").strip()
    return EXPERIMENTS.get(text.lower(), text or "CMS")


def energy_text(sqrt_s: float | None) -> str | None:
    """``"(13 TeV)"`` or ``"(200 GeV)"`` for the right-hand label; None when unknown."""
    if not sqrt_s:
        return None
    gev = float(sqrt_s)
    return f"({gev / 1000:g} TeV)" if gev >= 1000 else f"({gev:g} GeV)"


def plot_frame(ax: Any, edges: np.ndarray, axis_label: str, is_simulation: bool,
               sqrt_s: float | None, experiment: str = "CMS", *,
               offset_aware: bool = True) -> None:
    """Axis titles, mass range and the experiment label ("Open Data" or "Simulation").

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    edges : np.ndarray
        Bin edges (GeV).
    axis_label : str
        x-axis title, e.g. ``$m_{\\gamma\\gamma}$ [GeV]``.
    is_simulation : bool
        "Simulation" instead of "Open Data" beside the experiment name.
    sqrt_s : float or None
        Centre-of-mass energy (GeV), written top right.
    experiment : str
        Experiment name, e.g. ``"CMS"`` (see :func:`experiment_name`).
    offset_aware : bool
        Move the label clear of the y axis' offset text (``1e6``), which costs
        mplhep a full draw; pointless before the counts are drawn.
    """
    import mplhep

    width = (edges[-1] - edges[0]) / max(len(edges) - 1, 1)
    ax.set_xlabel(axis_label)
    ax.set_ylabel(f"Candidates / {width:.3g} GeV")
    ax.set_xlim(edges[0], edges[-1])
    # data=False makes mplhep write "Simulation" itself
    mplhep.label.exp_label(exp=experiment, text="" if is_simulation else "Open Data",
                           data=not is_simulation, com=None, rlabel=energy_text(sqrt_s), ax=ax,
                           scilocator_adjust=offset_aware)


def plot_counts(ax: Any, edges: np.ndarray, counts: np.ndarray, is_simulation: bool,
                scale: float = 1.0, legend: str | None = None) -> None:
    """The histogram: filled (simulation) or points with errors (data), with headroom.

    Data points take the text colour of the current style (black in print);
    ``scale`` multiplies the counts and their errors (e.g. to overlay the shape
    on a few candidates); ``legend`` is the legend entry (None: none).
    """
    import matplotlib
    import mplhep

    raw = np.asarray(counts, dtype=float)
    shown = raw * scale
    first = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0]  # a fresh axes' colour
    if is_simulation:
        mplhep.histplot(shown, edges, ax=ax, label=legend, histtype="fill", alpha=0.6, color=first)
    else:  # points only where there are entries: no row of dots along an empty axis
        filled = np.where(raw > 0, shown, np.nan)
        mplhep.histplot(filled, edges, ax=ax, label=legend, histtype="errorbar",
                        yerr=np.sqrt(np.where(raw > 0, raw, np.nan)) * scale,
                        color=matplotlib.rcParams["text.color"])
    top = float(np.max(shown + np.sqrt(raw) * (0.0 if is_simulation else scale), initial=0.0))
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylim(bottom=0, top=max(top * 1.35, 1.0))


def plot_histogram(ax: Any, edges: np.ndarray, counts: np.ndarray, axis_label: str,
                   is_simulation: bool, sqrt_s: float | None, experiment: str = "CMS") -> None:
    """The whole mass plot on ``ax``: :func:`plot_counts` then :func:`plot_frame`.

    The command line's ``--hist`` and the GUI's spectrum dock both draw with
    these (the dock draws the frame once and the counts on every update).
    """
    plot_counts(ax, edges, counts, is_simulation)
    plot_frame(ax, edges, axis_label, is_simulation, sqrt_s, experiment)


def draw_histogram(result: ScanResult, fh: IO[bytes], fmt: str = "png",
                   experiment: str | None = None) -> None:
    """Draw the mass histogram of ``result`` in the publication style (mplhep) into ``fh``.

    ``experiment`` names the detector (default: the result's ``detector`` if it
    has one, else CMS).
    """
    import matplotlib.style
    import mplhep
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    name = experiment_name(experiment or getattr(result, "detector", None))
    with matplotlib.style.context(mplhep.style.CMS):
        fig = Figure(figsize=(10, 8))
        FigureCanvasAgg(fig)
        plot_histogram(fig.subplots(), result.edges, result.counts, result.axis_label,
                       bool(result.is_simulation), result.sqrt_s, name)
        fig.savefig(fh, format=fmt)


def summary(result: ScanResult, preset: str | None) -> str:
    """A few lines describing the result."""
    what = f"{preset} candidates" if preset else "events passing the filter"
    lines = [f"scanned {result.n_events:,} events in {len(result.files)} file(s): "
             f"{len(result):,} {what}" + (" (cancelled)" if result.cancelled else "")]
    counts = result.counts
    if preset and counts.sum():
        i = int(counts.argmax())
        lo, hi = result.edges[i], result.edges[i + 1]
        lines.append(f"histogram: {len(counts)} bins {result.edges[0]:g}-{result.edges[-1]:g} GeV,"
                     f" {int(counts.sum()):,} in range, fullest bin {lo:g}-{hi:g} GeV "
                     f"({int(counts[i]):,})")
    for cand in (result.candidate(i) for i in range(min(len(result), SUMMARY_ROWS))):
        ident = ":".join(str(cand[k]) if cand[k] is not None else "?"
                         for k in ("run", "lumi", "event"))
        mass = f"{cand['mass']:.2f} GeV" if cand["mass"] is not None else "-"
        lines.append(f"  entry {cand['entry']:>8}  {ident:<24} {mass}")
    if len(result) > SUMMARY_ROWS:
        lines.append(f"  ... {len(result) - SUMMARY_ROWS:,} more (use --json)")
    return "\n".join(lines)
