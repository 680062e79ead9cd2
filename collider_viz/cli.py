"""The ``collider-viz`` command.

``collider-viz [FILE_OR_URL]`` opens the window; subcommands ``info``,
``scan``, ``export`` and ``story`` live in :mod:`collider_viz.commands`,
one module each with ``add_arguments(parser)`` and ``run(args) -> int``.
Only the chosen subcommand's module is imported (a picture export does not
pay for the scan's or the window's imports). A mistyped subcommand or option
gets the close match suggested.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import re
import sys
from importlib import import_module
from types import ModuleType
from typing import NoReturn

from collider_viz.errors import ColliderVizError

SUBCOMMANDS = {
    "info": "describe a file: format, events, collections, detector",
    "scan": "select candidates in files and histogram their mass",
    "export": "render images or animations without a display",
    "story": "open a prepared lecture story (rhic, lhc)",
    "flow": "measure elliptic flow (v2) per centrality class of a heavy-ion file",
    "masterclass": "masterclass results: merge students' records into tables and plots",
}

_UNRECOGNIZED = re.compile(r"unrecognized arguments: (.*)")


def suggest(word: str, choices: list[str]) -> str | None:
    """The choice closest to a mistyped ``word`` (None when nothing is close)."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else None


class _Parser(argparse.ArgumentParser):
    """An argument parser whose "unrecognized arguments" line names the close option."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        if args is not None and not self._subparsers:
            self._refuse_unknown_options(list(args))
        return super().parse_known_args(args, namespace)

    def _refuse_unknown_options(self, args: list[str]) -> None:
        """An unknown ``--option`` close to a known one is an error naming it, before any other."""
        options = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
        for word in args:
            if word == "--":
                return
            name = word.split("=")[0]
            if not name.startswith("--") or any(o.startswith(name) for o in options):
                continue
            close = suggest(name, options)
            if close:
                self.error(f"unrecognized option {name} (did you mean {close}?)")

    def error(self, message: str) -> NoReturn:
        found = _UNRECOGNIZED.search(message)
        if found:
            options = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
            for word in found.group(1).split():
                close = suggest(word.split("=")[0], options) if word.startswith("-") else None
                if close:
                    message += f" (did you mean {close}?)"
                    break
        # One line (argparse would print the whole usage first); --help shows it.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _module(name: str) -> ModuleType | None:
    try:
        return import_module(f"collider_viz.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"collider_viz.commands.{name}":
            raise
        return None


def _build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The subcommand parser; with ``only``, the arguments of that subcommand alone."""
    parser = _Parser(prog="collider-viz", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, help_text in SUBCOMMANDS.items():
        if only is not None and name != only:
            continue
        module = _module(name)
        if module is None:
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="collider-viz", description="Open the event display.",
                     epilog="subcommands: " + ", ".join(SUBCOMMANDS))
    parser.add_argument("file", nargs="?", help="file or URL to open (default: the H→γγ sample)")
    parser.add_argument("--mapping", help="TOML mapping for an unknown file layout")
    parser.add_argument("--entry", type=int, default=0, help="entry to show first")
    parser.add_argument("--play", type=float, metavar="SECONDS",
                        help="present full screen and advance every SECONDS")
    return parser


def _mistyped_command(argv: list[str]) -> str | None:
    """A one-line error when ``argv[0]`` is no file but close to a subcommand's name."""
    if not argv or argv[0].startswith("-") or os.path.exists(argv[0]) or "://" in argv[0]:
        return None
    word = argv[0]
    if os.sep in word or "." in word:
        return None
    close = suggest(word, list(SUBCOMMANDS))
    if close is None:
        return None
    return f"collider-viz: error: unknown command {word!r} (did you mean {close!r}?)"


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit status.

    Called without ``argv`` it is the process's own command (``collider-viz``,
    ``python -m collider_viz``), which exits right after: the objects left
    are then frozen out of the garbage collector, so that the interpreter's
    final collection does not walk them (about 0.15 s after a picture export,
    measured; the memory goes back to the system at exit all the same).
    """
    status = _run(sys.argv[1:] if argv is None else list(argv))
    if argv is None:
        gc.freeze()
    return status


def _run(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        try:
            args = _build_parser(argv[0]).parse_args(argv)
            return int(args._module.run(args) or 0)
        except ColliderVizError as exc:
            print(f"collider-viz: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("collider-viz: interrupted", file=sys.stderr)
            return 130
    if argv and argv[0] in ("-h", "--help") and len(argv) == 1:
        _build_parser().print_help()
        return 0
    typo = _mistyped_command(argv)
    if typo:
        print(typo, file=sys.stderr)
        return 2
    args = _gui_parser().parse_args(argv)
    from collider_viz.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
