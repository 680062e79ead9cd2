"""Readers: every supported file format, detected from the file itself.

This package never imports Qt or vispy.
"""

from collider_viz.io.base import EventSource, Reader
from collider_viz.io.registry import open_events, readers, register

__all__ = ["EventSource", "Reader", "open_events", "readers", "register"]
