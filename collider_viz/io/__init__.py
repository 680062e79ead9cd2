"""Readers: every supported file format, detected from the file itself.

This package never imports Qt or vispy.
"""

from collider_viz.io.base import EventSource, Reader
from collider_viz.io.registry import open_events, readers, register
from collider_viz.io.remote import open_url

__all__ = ["EventSource", "Reader", "open_events", "open_url", "readers", "register"]
