"""The ``collider-viz`` command.

``collider-viz [FILE_OR_URL]`` opens the window; subcommands ``info``,
``scan``, ``export`` and ``story`` live in :mod:`collider_viz.commands`,
one module each with ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from collider_viz.errors import ColliderVizError

SUBCOMMANDS = {
    "info": "describe a file: format, events, collections, detector",
    "scan": "select candidates in files and histogram their mass",
    "export": "render images or animations without a display",
    "story": "open a prepared lecture story (rhic, lhc)",
    "flow": "measure elliptic flow (v2) per centrality class of a heavy-ion file",
    "masterclass": "masterclass results: merge students' records into tables and plots",
}


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="collider-viz", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    for name, help_text in SUBCOMMANDS.items():
        try:
            module = import_module(f"collider_viz.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"collider_viz.commands.{name}":
                raise
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="collider-viz", description="Open the event display.",
                                     epilog="subcommands: " + ", ".join(SUBCOMMANDS))
    parser.add_argument("file", nargs="?", help="file or URL to open (default: the H→γγ sample)")
    parser.add_argument("--mapping", help="TOML mapping for an unknown file layout")
    parser.add_argument("--entry", type=int, default=0, help="entry to show first")
    parser.add_argument("--play", type=float, metavar="SECONDS",
                        help="present full screen and advance every SECONDS")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in SUBCOMMANDS:
        args = _build_parser().parse_args(argv)
        try:
            return int(args._module.run(args) or 0)
        except ColliderVizError as exc:
            print(f"collider-viz: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("collider-viz: interrupted", file=sys.stderr)
            return 130
    args = _gui_parser().parse_args(argv)
    from collider_viz.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
