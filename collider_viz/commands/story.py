"""``collider-viz story``: open a prepared lecture story, or render it to PNGs.

Examples::

    collider-viz story rhic                      # the player window
    collider-viz story lhc --export lhc_pictures # one PNG per step, no display needed
    collider-viz story my_story.toml             # a copied and edited story
"""

from __future__ import annotations

import argparse
import sys

from collider_viz.errors import ColliderVizError

MIN_SIZE = (320, 180)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``collider-viz story``."""
    parser.add_argument("story", nargs="?", metavar="NAME_OR_TOML",
                        help="built-in story (rhic, lhc) or a story .toml file")
    parser.add_argument("--list", action="store_true", help="list the built-in stories")
    parser.add_argument("--export", metavar="DIR", help="render every step to PNGs in DIR")
    parser.add_argument("--size", default="1920x1080", help="picture size for --export")
    parser.add_argument("--theme", default="dark", choices=("dark", "light"))
    parser.add_argument("--no-captions", action="store_true",
                        help="leave the step caption out of exported pictures")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")


def run(args: argparse.Namespace) -> int:
    """List, export or play a story."""
    from collider_viz.export.stories import builtin_stories, load_story

    if args.list or not args.story:
        for name, path in builtin_stories().items():
            print(f"{name:10s} {load_story(path).title}")
        return 0 if args.list else 1
    story = load_story(args.story)
    if args.export:
        return _export(story, args)
    return _play(story)


def _export(story: object, args: argparse.Namespace) -> int:
    from collider_viz.export.headless import setup_headless
    from collider_viz.export.hires import parse_size
    from collider_viz.export.story_export import export_story

    size = parse_size(args.size)
    if size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]:  # the captions and spectrum text need room
        raise ColliderVizError(f"--size {args.size}: story pictures are at least "
                               f"{MIN_SIZE[0]}x{MIN_SIZE[1]}")
    setup_headless()
    rows = export_story(story, args.export, size, args.theme, args.force,  # type: ignore[arg-type]
                        not args.no_captions, report=lambda line: print(line, file=sys.stderr))
    written = sum(1 for r in rows if r["file"])
    print(f"wrote {written} of {len(rows)} steps to {args.export}")
    return 0 if written else 2


def _play(story: object) -> int:
    try:
        from collider_viz.gui.lecture.story_player import run_player
    except ImportError as exc:
        raise ColliderVizError(f"the story player needs PyQt6 ({exc})") from None
    return run_player(story)
