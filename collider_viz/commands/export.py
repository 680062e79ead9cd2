"""``collider-viz export``: pictures and animations without a display.

Examples::

    collider-viz export sample_events/higgs_diphoton_13TeV.root --entry 0 -o hgg.png
    collider-viz export events.ig --event 194115:651906625 --size 3840x2160 -o big.png
    collider-viz export sample.root --select hgg -o candidates/
    collider-viz export sample.root --entry 3 --animate replay --frames 48 -o replay.gif
    collider-viz export 4lepton.ig --entry 0 -o higgs.glb      # glTF 2.0 3D scene
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from collider_viz.errors import ColliderVizError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``collider-viz export``."""
    parser.add_argument("file", metavar="FILE_OR_URL", help="event file or URL")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--entry", type=int, help="entry number (0-based)")
    which.add_argument("--event", metavar="RUN:EVENT", help="run and event number")
    which.add_argument("--select", metavar="PRESET",
                       help="one picture per candidate of a selection (hgg, h4l, zmumu ...)")
    parser.add_argument("--candidate", metavar="PRESET",
                        help="with --entry/--event: mark the event as a candidate of PRESET "
                             "(highlight its objects, put its mass in the annotation)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="PNG/GIF/MP4 file, a .glb/.gltf 3D scene; a directory with --select")
    parser.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT up to 7680x4320")
    parser.add_argument("--view", choices=("3d", "rphi", "rz", "lego"),
                        help="default: the detector's own (3d; rz for LHCb)")
    parser.add_argument("--layout", default="single", choices=("single", "triptych"),
                        help="triptych: 3D, ρ-φ and ρ-z side by side in one PNG (picture of record)")
    parser.add_argument("--theme", default="dark", choices=("dark", "light"))
    parser.add_argument("--color-by", choices=("charge", "pt", "species"), help="track colours")
    parser.add_argument("--transparent", action="store_true", help="transparent background")
    parser.add_argument("--no-annotation", action="store_true",
                        help="leave out the experiment / run / event text")
    parser.add_argument("--camera", metavar="AZ,EL,DIST",
                        help="azimuth and elevation (degrees), distance (m)")
    parser.add_argument("--animate", choices=("turntable", "replay"), help="write an animation")
    parser.add_argument("--frames", type=int, default=60, help="animation frames (default 60)")
    parser.add_argument("--fps", type=float, default=20.0, help="animation frame rate")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="with --select: write only the first N candidates")
    parser.add_argument("--mapping", help="TOML mapping for an unknown file layout")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")


def options(args: argparse.Namespace) -> Any:
    """The :class:`~collider_viz.export.image.ImageOptions` the arguments ask for."""
    from collider_viz.export.hires import parse_size
    from collider_viz.export.image import ImageOptions
    from collider_viz.export.scene_bridge import parse_camera
    from collider_viz.limits import check_camera

    camera = parse_camera(args.camera)
    check_camera("--camera", camera)
    return ImageOptions(size=parse_size(args.size), view=args.view or "3d", theme=args.theme,
                        transparent=args.transparent, annotate=not args.no_annotation,
                        camera=camera, color_by=args.color_by)


def _entry(source: Any, args: argparse.Namespace) -> int:
    if args.entry is not None:
        if not -len(source) <= args.entry < len(source):
            raise ColliderVizError(f"{source.path}: entry {args.entry} out of range "
                                   f"(0..{len(source) - 1})")
        return args.entry % len(source)
    try:
        run, event = (int(x) for x in args.event.split(":"))
    except ValueError:
        raise ColliderVizError(f"bad --event {args.event!r}; expected RUN:EVENT") from None
    try:
        return source.find(run, event)
    except KeyError:
        raise ColliderVizError(f"{source.path}: no event {run}:{event}") from None


def _check(args: argparse.Namespace) -> None:
    from collider_viz.export.animate import check_animation
    from collider_viz.export.atomic import check_target
    from collider_viz.export.hires import parse_size

    if args.candidate and args.select:
        raise ColliderVizError("--candidate goes with --entry or --event; --select already "
                               "marks every candidate")
    if args.limit is not None and (not args.select or args.limit < 1):
        raise ColliderVizError("--limit N (N >= 1) goes with --select")
    if args.select:
        from collider_viz.export.batch import check_dir_name

        check_dir_name(args.output)
    if getattr(args, "layout", "single") == "triptych" and (
            args.select or args.animate or Path(args.output).suffix.lower() != ".png"):
        raise ColliderVizError("--layout triptych writes one .png of --entry or --event")
    if args.select and args.animate:
        raise ColliderVizError("--animate works with --entry or --event, not with --select")
    if args.animate:
        check_animation(args.animate, args.frames, args.fps, args.output, parse_size(args.size))
    elif not args.select:
        if Path(args.output).suffix.lower() not in (".png", ".glb", ".gltf"):
            raise ColliderVizError(f"{args.output}: pictures are written as .png, "
                                   "3D scenes as .glb or .gltf")
    if not args.select:
        check_target(args.output, args.force, inputs=[args.file])


def run(args: argparse.Namespace) -> int:
    """Render what the arguments ask for; 0 on success."""
    opts = options(args)
    _check(args)
    from collider_viz.export.headless import setup_headless

    setup_headless()
    from collider_viz.io.registry import open_events

    with open_events(args.file, args.mapping) as source:
        if args.view is None:
            opts = _default_view(opts, source)
        if args.select:
            return _run_select(source, args, opts)
        return _run_one(source, _entry(source, args), args, opts)


def _default_view(opts: Any, source: Any) -> Any:
    """``opts`` in the view the file's detector is best seen in (side-on for LHCb)."""
    from dataclasses import replace

    from collider_viz.physics.detector import load_detector
    from collider_viz.scene.views import default_view

    try:
        detector = load_detector(source.info.detector)
    except (ColliderVizError, OSError, ValueError):  # drawn without one; 3d as ever
        detector = None
    return replace(opts, view=default_view(detector))


def _run_one(source: Any, entry: int, args: argparse.Namespace, opts: Any) -> int:
    from dataclasses import replace

    from collider_viz.export.annotate import heavy_ion_lines
    from collider_viz.export.image import export_image
    from collider_viz.export.movie import export_animation

    event = source[entry]
    opts = replace(opts, extra_lines=heavy_ion_lines(event))
    if args.candidate:
        opts = _as_candidate(source, entry, args.candidate, opts)
    if args.animate:
        path = export_animation(event, args.output, opts, args.animate, args.frames, args.fps,
                                progress=_progress, force=args.force)
        _progress_done()
    elif Path(args.output).suffix.lower() in (".glb", ".gltf"):
        from collider_viz.export.gltf import export_gltf

        path = export_gltf(event, args.output, theme=opts.theme, color_by=opts.color_by,
                           force=args.force)
    elif getattr(args, "layout", "single") == "triptych":
        from collider_viz.export.composite import export_triptych

        path = export_triptych(event, args.output, opts, force=args.force)
    else:
        path = export_image(event, args.output, opts, force=args.force)
    print(f"wrote {path}")
    return 0


def _as_candidate(source: Any, entry: int, preset: str, opts: Any) -> Any:
    """``opts`` for entry ``entry`` as a candidate of ``preset``; an error if it is none."""
    from dataclasses import replace

    from collider_viz.export.batch import candidate_options
    from collider_viz.physics.scan import scan_source

    result = scan_source(source, preset, start=entry, stop=entry + 1)
    if len(result) == 0:
        raise ColliderVizError(f"{source.path}: entry {entry} does not pass the {preset} "
                               "selection (collider-viz scan lists the candidates)")
    return candidate_options(replace(opts, extra_lines=[]), preset, result.candidate(0),
                             source[entry])


def _run_select(source: Any, args: argparse.Namespace, opts: Any) -> int:
    from collider_viz.export.batch import ProgressBar, export_candidates

    bar = ProgressBar(sys.stderr)
    rows = export_candidates(source, args.select, args.output, opts, args.force, bar,
                             limit=args.limit, announce=lambda line: print(line, flush=True))
    bar.done()
    print(f"wrote {len(rows)} pictures and index.json/index.html to {args.output}")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _progress_done() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)
