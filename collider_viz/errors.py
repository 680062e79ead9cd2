"""Errors the user may see: one clear line naming the file and what was expected."""

from __future__ import annotations


class ColliderVizError(Exception):
    """Base class of every error collider_viz reports to a user.

    The message is a single line, suitable for a dialog or for stderr.
    """


class FormatError(ColliderVizError):
    """A file could not be read as any supported event format.

    Parameters
    ----------
    path : str
        The file or URL that was opened.
    problem : str
        What was found (or what went wrong).
    expected : str, optional
        What the reader expected to find.
    """

    def __init__(self, path: str, problem: str, expected: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.expected = expected
        msg = f"{self.path}: {problem}"
        if expected:
            msg += f"; expected {expected}"
        super().__init__(" ".join(msg.split()))


class MappingError(ColliderVizError):
    """A user mapping file (TOML) is invalid."""


class SelectionError(ColliderVizError):
    """A selection preset or filter expression is invalid."""
