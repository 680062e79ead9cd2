"""Short texts about events and objects for the window: labels, tooltips, "go to".

Pure functions of the event or the source, kept out of :mod:`window` so that
they can be tested without a window.
"""

from __future__ import annotations

from typing import Any

from collider_viz.gui.navigation import parse_goto
from collider_viz.physics.event import Event


class NotFound(LookupError):
    """A "go to" request names no event of the file (the message is for the user)."""


def id_label(event: Event) -> str:
    """``"run R : event E"`` (or ``"event E"``, or nothing) for the navigation bar."""
    meta = event.meta
    if meta.run is not None and meta.event is not None:
        return f"run {meta.run} : event {meta.event}"
    return f"event {meta.event}" if meta.event is not None else ""


def describe_object(event: Event | None, name: str, index: int) -> str:
    """Tooltip text of an object: name, index and pT (or energy)."""
    if event is None or name not in event:
        return name
    record = event[name][index]
    fields = record.fields if hasattr(record, "fields") else []
    for key, label in (("pt", "pT"), ("energy", "E")):
        if key in fields:
            return f"{name} #{index}: {label} = {float(record[key]):.3g} GeV"
    return f"{name} #{index}"


def resolve_goto(source: Any, text: str) -> int:
    """The entry of ``source`` that the "go to" ``text`` (entry or ``run:event``) names.

    Raises
    ------
    ValueError
        The text is neither form.
    NotFound
        No such event, or the entry is out of range.
    """
    kind, numbers = parse_goto(text)
    if kind == "run_event":
        try:
            return int(source.find(*numbers))
        except KeyError as exc:
            raise NotFound(str(exc.args[0])) from None
    entry = numbers[0]
    if not 0 <= entry < len(source):
        raise NotFound(f"entry {entry} is out of range (0..{len(source) - 1})")
    return entry
