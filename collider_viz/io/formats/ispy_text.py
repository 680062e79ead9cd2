"""A bare iSpy event: one ``Events/Run_R/Event_E`` member of an ``.ig`` saved alone.

Students and outreach pages pass single events around as the member's text
(``{'Types': {...}, 'Collections': {...}, 'Associations': {...}}``, often
renamed ``Run_R_Event_E.txt`` or ``.json``).  The text is parsed exactly like
a member of an ``.ig`` zip (no evaluation, see :mod:`collider_viz.io.igparse`,
with the same size and row limits) and opens as a one-event source; run,
event and lumi come from its ``Event_V*`` row, else from the file name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from collider_viz.errors import FormatError
from collider_viz.io.base import Reader, text_head
from collider_viz.io.cms_runs import cms_sqrt_s
from collider_viz.io.formats import ispy_catalog
from collider_viz.io.formats.ispy import batch_of, build_event
from collider_viz.io.igparse import MAX_MEMBER_BYTES, IgSyntaxError
from collider_viz.io.registry import register
from collider_viz.physics.event import COLLECTIONS, EventBatch, SourceInfo

EXPECTED = "one CMS iSpy event text ({'Types': ..., 'Collections': ...})"
_START = re.compile(r"""^\ufeff?\s*\{\s*["']Types["']\s*:""")
_NAME_IDS = re.compile(r"Run_(\d+)\D+Event_(\d+)")


@register
class IspyTextReader(Reader):
    """Reader of one bare iSpy event text.

    Parameters
    ----------
    path : str
        Path of the text file.
    handle : None
        Unused (not a ROOT file).
    """

    format_name = "ispy-text"
    description = "one CMS iSpy event text (an .ig member saved alone)"
    priority = 45

    @classmethod
    def sniff(cls, path: str, handle: Any) -> bool:
        """True for a text file whose first key is ``Types`` (reads 4 kB at most)."""
        head = text_head(path, handle, 4096)
        return head is not None and bool(_START.match(head))

    def __init__(self, path: str, handle: Any = None) -> None:
        self.path = path
        size = os.path.getsize(path)
        if size > MAX_MEMBER_BYTES:
            raise FormatError(path, f"holds {size:,} bytes, more than the limit of "
                              f"{MAX_MEMBER_BYTES:,} bytes per event", EXPECTED)
        with open(path, "rb") as fh:
            text = fh.read(MAX_MEMBER_BYTES + 1)
        found = _NAME_IDS.search(os.path.basename(path))
        run, number = (int(found.group(1)), int(found.group(2))) if found else (-1, -1)
        try:
            self._built = build_event(text, run, number)
        except IgSyntaxError as exc:
            raise FormatError(path, str(exc), EXPECTED) from None
        run = self._built["ids"]["run"]
        head = text[: ispy_catalog.HEAD_BYTES].decode("utf-8", errors="replace")
        self.info = SourceInfo(
            path=path, format=self.format_name, detector="CMS", collision_system="pp",
            sqrt_s=cms_sqrt_s(run) if run > 0 else None, is_simulation=run == 1,
            label="CMS Open Data", extra={"source": "CMS iSpy event text"},
            not_read=ispy_catalog.not_read(ispy_catalog.type_names(head)),
        )

    def __len__(self) -> int:
        return 1

    @property
    def available(self) -> tuple[str, ...]:
        """Every collection of the common form (empty where the event has none)."""
        return COLLECTIONS

    def read(
        self, start: int, stop: int, collections: Sequence[str] | None = None
    ) -> EventBatch:
        """The one event when ``[start, stop)`` holds entry 0."""
        events = [self._built] if max(start, 0) < min(stop, 1) else []
        return batch_of(events, max(start, 0), collections)

    def event_ids(self) -> dict[str, np.ndarray]:
        """Run, lumi and event of the one event (-1 where unknown)."""
        ids = self._built["ids"]
        out = {k: np.array([ids[k]], dtype=np.int64) for k in ("run", "lumi", "event")}
        out["sqrt_s"] = np.array([cms_sqrt_s(ids["run"]) or np.nan])
        return out
