"""collider_viz: an event display for particle-collision open data.

``EventSource`` and ``open_events`` are imported on first use, so that a command
which reads no file (or only one format) does not pay for the readers' imports.
"""

from typing import Any

from collider_viz.errors import ColliderVizError, FormatError

__version__ = "0.1.0"

__all__ = ["ColliderVizError", "EventSource", "FormatError", "open_events", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("EventSource", "open_events"):
        from collider_viz import io

        return getattr(io, name)
    raise AttributeError(f"module 'collider_viz' has no attribute {name!r}")
