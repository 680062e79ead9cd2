"""``collider-viz flow FILE``: elliptic flow v2 per centrality class of a heavy-ion file.

Centrality comes from :mod:`collider_viz.physics.centrality` (the file's own
estimator first). The JSON (``--json OUT`` or ``-`` for stdout) is::

    {"file", "n_events", "method", "classes": [{"label", "lo", "hi", "n_events",
     "v2", "v2_err", ...}], "all": {"v2", "v2_err", "n_events"}}

``--plot OUT.png`` draws v2 vs centrality beside the published STAR / ALICE
points of ``physics/flow_reference.toml`` (each cited on the plot). Outputs are
written atomically and never replace a file without ``--force``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.export.atomic import check_target, write_atomic, write_text_atomic
from collider_viz.io.registry import open_events
from collider_viz.physics import centrality, flow
from collider_viz.scene.summary import is_heavy_ion


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``flow`` arguments to ``parser``."""
    parser.add_argument("file", help="heavy-ion event file")
    parser.add_argument("--json", metavar="OUT", help="write the result as JSON ('-': stdout)")
    parser.add_argument("--plot", metavar="OUT.png", help="plot v2 vs centrality with references")
    parser.add_argument("--method", choices=["2", "EP"], default="2",
                        help="v2{2} (default) or v2{EP}, both with an η gap")
    parser.add_argument("--gap", type=float, default=flow.ETA_GAP,
                        help="η gap between the sub-events (default 1: η < -0.5 vs η > 0.5)")
    parser.add_argument("--force", action="store_true", help="replace existing outputs")


def measure(path: str, method: str = "2", gap: float = flow.ETA_GAP) -> dict[str, Any]:
    """Read ``path`` and return the flow result as the JSON object described above."""
    with open_events(path) as source:
        if not is_heavy_ion(source.info):
            raise ColliderVizError(f"{path}: flow needs a heavy-ion file, this one is "
                                   f"{source.info.collision_system or 'of unknown system'}")
        if "tracks" not in source.available:
            raise ColliderVizError(f"{path}: flow needs charged tracks; the file has none")
        batch = source.read(0, len(source), collections=["tracks"])
        sqrt_s = source.info.sqrt_s
    tracks = batch.collections["tracks"]
    mult = np.asarray([len(t) for t in tracks])
    cents = centrality.for_file(batch.ids, mult, len(batch))
    classes, everything = flow.by_class(flow.sub_events(tracks, gap=gap), cents, method)
    sources = sorted({c.source for c in cents if c is not None})
    return {"file": path, "n_events": len(batch), "method": flow.method_name(method, gap),
            "sqrt_s": sqrt_s, "centrality_from": [centrality.SOURCES[s] for s in sources],
            "no_centrality": sum(c is None for c in cents),
            "classes": [c.as_dict() for c in classes],
            "all": {k: everything.as_dict()[k] for k in ("v2", "v2_err", "n_events")}}


def run(args: argparse.Namespace) -> int:
    """Measure, print a table, and write the requested outputs."""
    for out in (args.json, args.plot):
        if out and out != "-":
            check_target(out, args.force)
    result = measure(args.file, args.method, args.gap)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.json == "-":
        print(text)
    else:
        print(table(result))
        if args.json:
            write_text_atomic(args.json, text + "\n", args.force)
            print(f"wrote {args.json}", file=sys.stderr)
    if args.plot:
        from collider_viz.export.flow_plot import save_plot
        write_atomic(args.plot, lambda tmp: save_plot(result, tmp), args.force)
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0


def table(result: dict[str, Any]) -> str:
    """A plain-text table of the classes."""
    lines = [f"{result['file']}: {result['n_events']} events, {result['method']}, centrality "
             f"from {', '.join(result['centrality_from']) or 'nothing'}"]
    for row in result["classes"] + [dict(result["all"], label="all")]:
        v2, err = row["v2"], row["v2_err"]
        value = "–" if v2 is None else f"{v2:.4f} ± {err:.4f}" if err is not None else f"{v2:.4f}"
        lines.append(f"  {row['label']:>9}  {row['n_events']:4d} events  v2 = {value}")
    return "\n".join(lines)
