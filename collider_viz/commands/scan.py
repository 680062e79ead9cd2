"""``collider-viz scan FILE_OR_URL...``: select candidates and histogram their mass.

Examples::

    collider-viz scan data.root --select hgg --hist mgg.png
    collider-viz scan a.root b.root --select zmumu --filter "nMuon == 2" --json out.json
    collider-viz scan big.root --select hgg --workers 4 --json -

``--json`` writes one object ``{"n_events", "candidates": [{"file", "entry",
"run", "lumi", "event", "mass"}...], "histogram": {"edges", "counts"}}``
(``-`` for stdout). Files are written atomically (temporary file, then
``os.replace``). Ctrl-C stops the scan, writes nothing and exits with 130.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.physics.scan import DEFAULT_STEP, ScanResult, scan_files
from collider_viz.physics.selections import PRESETS

PLOT_FORMATS = ("png", "pdf", "svg")


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
                        help="run on a local dask cluster of N processes")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a dask scheduler, e.g. tcp://host:8786")


def run(args: argparse.Namespace) -> int:
    """Run the scan described by ``args``; return the exit status."""
    _check_args(args)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = scan_files(args.files, args.select, args.filter, bins=args.bins,
                            step=args.step_size, workers=args.workers,
                            scheduler=args.scheduler, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _write_json(result, args.json)
    if args.hist:
        atomic_write(args.hist, lambda fh: draw_histogram(result, fh, _plot_format(args.hist)))
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
    if args.step_size < 1:
        raise ColliderVizError(f"scan: --step-size must be at least 1, not {args.step_size}")
    if args.workers is not None and args.workers < 1:
        raise ColliderVizError(f"scan: --workers must be at least 1, not {args.workers}")
    if args.hist:
        _plot_format(args.hist)
    for out in (args.json, args.hist):
        folder = os.path.dirname(os.path.abspath(out)) if out and out != "-" else None
        if folder and not os.path.isdir(folder):
            raise ColliderVizError(f"{out}: folder {folder} does not exist")


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


def atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".collider-viz-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_json(result: ScanResult, out: str) -> None:
    text = json.dumps(result.to_dict())
    if out == "-":
        _emit(text + "\n")
        return
    atomic_write(out, lambda fh: fh.write((text + "\n").encode()))


def draw_histogram(result: ScanResult, fh: IO[bytes], fmt: str = "png") -> None:
    """Draw the mass histogram in the CMS style (mplhep) into ``fh``."""
    import matplotlib.style
    import mplhep
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sim = bool(result.is_simulation)
    with matplotlib.style.context(mplhep.style.CMS):
        fig = Figure(figsize=(10, 8))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        style: dict[str, Any] = ({"histtype": "fill", "alpha": 0.6} if sim
                                 else {"histtype": "errorbar", "color": "black"})
        counts = result.counts.astype(float)
        mplhep.histplot(counts, result.edges, ax=ax, yerr=None if sim else np.sqrt(counts),
                        **style)
        width = (result.edges[-1] - result.edges[0]) / max(len(result.counts), 1)
        ax.set_xlabel(result.axis_label)
        ax.set_ylabel(f"Candidates / {width:.3g} GeV")
        ax.set_xlim(result.edges[0], result.edges[-1])
        ax.set_ylim(bottom=0)
        com = result.sqrt_s / 1000.0 if result.sqrt_s else None
        # data=False makes mplhep write "Simulation" itself
        mplhep.cms.label("" if sim else "Open Data", data=not sim, com=com, ax=ax)
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
    for cand in (result.candidate(i) for i in range(min(len(result), 5))):
        ident = ":".join(str(cand[k]) if cand[k] is not None else "?"
                         for k in ("run", "lumi", "event"))
        mass = f"{cand['mass']:.2f} GeV" if cand["mass"] is not None else "-"
        lines.append(f"  entry {cand['entry']:>8}  {ident:<24} {mass}")
    if len(result) > 5:
        lines.append(f"  ... {len(result) - 5:,} more (use --json)")
    return "\n".join(lines)
