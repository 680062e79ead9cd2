"""``collider-viz masterclass merge``: combine students' results files.

Examples::

    collider-viz masterclass merge group*.csv --out class.csv --plot class.png
    collider-viz masterclass merge a.csv b.csv --out class.csv --dedupe --force

A damaged or foreign file is named with its line and skipped; the others are
merged. The merged table (``--out``) keeps every record, in the results format
(so it can be merged again); ``--dedupe`` counts a collision recorded by several
groups once in the ratios and histograms. Nothing is overwritten without ``--force``.
"""

from __future__ import annotations

import argparse
import sys

from collider_viz.errors import ColliderVizError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``collider-viz masterclass``."""
    sub = parser.add_subparsers(dest="action", required=True)
    merge = sub.add_parser("merge", help="merge results files into one table, ratios and plots",
                           description="merge results files into one table, ratios and plots")
    merge.add_argument("results", nargs="+", metavar="RESULTS", help="results CSV files")
    merge.add_argument("--out", required=True, metavar="CSV", help="the merged table")
    merge.add_argument("--plot", metavar="PNG", help="the mass histograms as a picture")
    merge.add_argument("--dedupe", action="store_true",
                       help="count a collision recorded by several groups once in ratios")
    merge.add_argument("--force", action="store_true", help="overwrite existing outputs")


def run(args: argparse.Namespace) -> int:
    """Merge; 0 when at least one file was read, 1 when none could be."""
    from collider_viz.export.atomic import check_target, write_text_atomic
    from collider_viz.masterclass import combine
    from collider_viz.masterclass.records import format_text

    inputs = list(args.results)
    check_target(args.out, args.force, inputs=inputs)
    if args.plot:
        if not args.plot.lower().endswith(".png"):
            raise ColliderVizError(f"{args.plot}: the plot is written as .png")
        check_target(args.plot, args.force, inputs=inputs)
    merged = combine.merge(inputs)
    for line in merged.skipped:
        print(f"collider-viz: skipped {line}", file=sys.stderr)
    if not merged.files:
        print("collider-viz: error: no results file could be read", file=sys.stderr)
        return 1
    write_text_atomic(args.out, format_text(merged.records), args.force)
    for line in combine.summary_lines(merged, args.dedupe):
        if not line.startswith("skipped: "):
            print(line)
    print(f"wrote {args.out}")
    if args.plot:
        from collider_viz.masterclass.plot import save_histograms

        used = combine.counted(merged.records, args.dedupe)
        save_histograms(combine.histograms(used), args.plot, args.force)
        print(f"wrote {args.plot}")
    return 0
