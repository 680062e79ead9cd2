"""Lecture stories: a prepared sequence of pictures with a caption each.

A story is a TOML file a lecturer can copy and edit (see
``collider_viz/stories/rhic.toml``). It is parsed with :mod:`tomllib` (no
code is evaluated) and checked key by key; a mistake is reported as one line
naming the file, the step and the key.

Top level: ``title``, ``subtitle``, ``description``, an optional
``[defaults]`` table with any step key, and ``[[steps]]``. A step says what
to show (``kind = "event"`` or ``"spectrum"``), where from (``file``:
relative to the story file or to ``sample_events/``, absolute, or
``shared_opendata:REL`` for the real open-data files) and which event
(``entry``; ``run`` + ``event``; ``pick = "multiplicity_quantile"`` with
``value``; or ``select`` a preset with ``order_by`` and ``index``).
"""

from __future__ import annotations

import codecs
import math
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.limits import (
    MAX_BINS,
    MAX_HIST_RANGE,
    MAX_STORY_BYTES,
    MAX_STORY_DEPTH,
    MAX_STORY_STEPS,
    LimitError,
    check,
    check_camera,
    check_finite,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STORY_DIR = Path(__file__).resolve().parents[1] / "stories"
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_events"
OPENDATA_PREFIX = "shared_opendata:"
KINDS = ("event", "spectrum")
VIEWS = ("3d", "rphi", "rz", "lego")
COLOR_BY = ("charge", "pt", "species")
PICKS = ("multiplicity_quantile",)
ORDERS = ("entry", "mass", "-mass")  # and "closest:<GeV>"
_OPEN = np.frombuffer(b"[{", dtype=np.uint8)
_CLOSE = np.frombuffer(b"]}", dtype=np.uint8)


class StoryError(ColliderVizError):
    """A story file is missing or invalid."""


@dataclass(frozen=True)
class Step:
    """One picture of a story (all keys optional except ``caption``)."""

    caption: str
    title: str = ""
    kind: str = "event"
    file: str = ""
    entry: int | None = None
    run: int | None = None
    event: int | None = None
    pick: str | None = None
    value: float | None = None
    select: str | None = None
    order_by: str = "entry"
    index: int = 0
    view: str = "3d"
    color_by: str = "charge"
    theme: str | None = None
    camera: tuple[float, float, float] | None = None
    bins: tuple[int, float, float] | None = None
    mark: float | None = None
    optional: bool = False


@dataclass(frozen=True)
class Story:
    """A loaded story: metadata and steps, plus where it was read from."""

    title: str
    steps: tuple[Step, ...]
    path: Path
    subtitle: str = ""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def name(self) -> str:
        """File stem, e.g. ``"rhic"``."""
        return self.path.stem


_STEP_TYPES: dict[str, tuple[type, ...]] = {
    "caption": (str,), "title": (str,), "kind": (str,), "file": (str,), "entry": (int,),
    "run": (int,), "event": (int,), "pick": (str,), "value": (int, float), "select": (str,),
    "order_by": (str,), "index": (int,), "view": (str,), "color_by": (str,), "theme": (str,),
    "camera": (list,), "bins": (list,), "mark": (int, float), "optional": (bool,),
}
_CHOICES = {"kind": KINDS, "view": VIEWS, "color_by": COLOR_BY, "pick": PICKS,
            "theme": ("dark", "light")}
_TOP_KEYS = {"title", "subtitle", "description", "defaults", "steps", "experiment"}


def builtin_stories() -> dict[str, Path]:
    """Story name → TOML file shipped with collider_viz."""
    return {p.stem: p for p in sorted(STORY_DIR.glob("*.toml"))}


def find_story(name: str | os.PathLike[str]) -> Path:
    """A built-in story name (``rhic``, ``lhc``) or a path to a TOML file."""
    text = os.fspath(name)
    builtin = builtin_stories()
    if text.lower() in builtin:
        return builtin[text.lower()]
    path = Path(text)
    if path.is_file():
        return path
    raise StoryError(f"{text}: no such story; built-in stories: {', '.join(builtin) or 'none'}, "
                     "or give the path of a .toml file")


def load_story(name: str | os.PathLike[str]) -> Story:
    """Read and validate a story.

    Raises
    ------
    StoryError
        Unknown story, TOML syntax error, or a bad key or value (the message
        names the file, the step number and the key).
    """
    path = find_story(name)
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise StoryError(f"{path}: arrays or tables nested too deeply") from None
    return _story(path, data)


def _read_text(path: Path) -> str:
    """The story's text: at most ``MAX_STORY_BYTES``, UTF-8, nested at most ``MAX_STORY_DEPTH``."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_STORY_BYTES + 1)
    except OSError as exc:
        raise StoryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not _looks_like_text(raw[:4096]):
        raise StoryError(f"{path}: not a story file; expected a TOML text file "
                         "(built-in stories: " + ", ".join(builtin_stories()) + ")")
    if len(raw) > MAX_STORY_BYTES:
        raise StoryError(f"{path}: larger than the {MAX_STORY_BYTES:,}-byte limit of a story "
                         "file (see docs/LIMITS.md)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if not text and raw or "\x00" in text:
        raise StoryError(f"{path}: not a story file; expected a TOML text file "
                         "(built-in stories: " + ", ".join(builtin_stories()) + ")")
    chars = np.frombuffer(raw, dtype=np.uint8)
    depth = np.cumsum(np.isin(chars, _OPEN).astype(np.int32) - np.isin(chars, _CLOSE))
    if len(depth) and int(depth.max()) > MAX_STORY_DEPTH:
        raise StoryError(f"{path}: arrays or tables nested deeper than {MAX_STORY_DEPTH} "
                         "levels (see docs/LIMITS.md)")
    return text


def _looks_like_text(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def _story(path: Path, data: dict[str, Any]) -> Story:
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise StoryError(f"{path}: unknown key {unknown[0]!r}; expected one of "
                         f"{', '.join(sorted(_TOP_KEYS))}")
    defaults = data.get("defaults", {})
    steps = data.get("steps")
    if not isinstance(defaults, dict):
        raise StoryError(f"{path}: 'defaults' must be a table")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        raise StoryError(f"{path}: needs at least one [[steps]] table")
    if len(steps) > MAX_STORY_STEPS:
        raise StoryError(f"{path}: {len(steps):,} steps is beyond the limit of "
                         f"{MAX_STORY_STEPS} (see docs/LIMITS.md)")
    _check_keys(path, "[defaults]", defaults)
    parsed = tuple(_step(path, i + 1, {**defaults, **raw}) for i, raw in enumerate(steps))
    title = data.get("title", path.stem)
    if not isinstance(title, str):
        raise StoryError(f"{path}: 'title' must be a string")
    return Story(title=title, steps=parsed, path=path, subtitle=str(data.get("subtitle", "")),
                 description=str(data.get("description", "")),
                 extra={"experiment": data.get("experiment", "")})


def _check_keys(path: Path, where: str, raw: dict[str, Any]) -> None:
    for key, value in raw.items():
        if key not in _STEP_TYPES:
            raise StoryError(f"{path}: {where}: unknown key {key!r}; expected one of "
                             f"{', '.join(sorted(_STEP_TYPES))}")
        types = _STEP_TYPES[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            names = " or ".join(t.__name__ for t in types)
            raise StoryError(f"{path}: {where}: {key!r} must be {names}, not {value!r}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise StoryError(f"{path}: {where}: {key} = {value!r}; expected one of "
                             f"{', '.join(_CHOICES[key])}")


def _step(path: Path, number: int, raw: dict[str, Any]) -> Step:
    where = f"step {number}"
    _check_keys(path, where, raw)
    if "caption" not in raw:
        raise StoryError(f"{path}: {where}: missing 'caption'")
    values = dict(raw)
    values["camera"] = _floats(path, where, "camera", raw.get("camera"), 3)
    bins = _floats(path, where, "bins", raw.get("bins"), 3)
    values["bins"] = None if bins is None else (int(bins[0]), bins[1], bins[2])
    _check_limits(path, where, values)
    _check_order(path, where, str(raw.get("order_by", "entry")))
    _check_source(path, where, raw)
    known = {f.name for f in fields(Step)}
    return Step(**{k: v for k, v in values.items() if k in known})


def _floats(path: Path, where: str, key: str, value: Any, n: int) -> tuple[float, ...] | None:
    if value is None:
        return None
    if len(value) != n or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                  for v in value):
        raise StoryError(f"{path}: {where}: {key!r} must be a list of {n} numbers, "
                         f"not {_short(value)}")
    out = tuple(float(v) for v in value)
    if not all(math.isfinite(v) for v in out):
        raise StoryError(f"{path}: {where}: {key!r} must be finite numbers, not {_short(value)}")
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_limits(path: Path, where: str, values: dict[str, Any]) -> None:
    """Camera, bins and numbers of a step within docs/LIMITS.md, before any work."""
    try:
        check_camera("camera", values.get("camera"))
        if values.get("bins") is not None:
            n, lo, hi = values["bins"]
            if not (n >= 1 and lo < hi):
                raise StoryError(f"{path}: {where}: bins = {list(values['bins'])}; expected "
                                 "[N, LO, HI] with N >= 1 and LO < HI")
            check("bins", n, MAX_BINS, "bins")
            check("bins range", max(abs(lo), abs(hi)), MAX_HIST_RANGE, "GeV")
        for key in ("value", "mark"):
            if values.get(key) is not None:
                check_finite(key, values[key])
        for key in ("entry", "run", "event", "index"):
            if values.get(key) is not None:
                check(key, values[key], 2**62)
    except LimitError as exc:
        raise StoryError(f"{path}: {where}: {exc}") from None


def _check_order(path: Path, where: str, order: str) -> None:
    if order in ORDERS:
        return
    if order.startswith("closest:"):
        try:
            if math.isfinite(float(order.split(":", 1)[1])):
                return
        except ValueError:
            pass
    raise StoryError(f"{path}: {where}: order_by = {order!r}; expected entry, mass, -mass "
                     "or closest:<GeV>")


def _check_source(path: Path, where: str, raw: dict[str, Any]) -> None:
    if not raw.get("file"):
        raise StoryError(f"{path}: {where}: missing 'file'")
    kind = raw.get("kind", "event")
    if kind == "spectrum" and not raw.get("select"):
        raise StoryError(f"{path}: {where}: a spectrum step needs 'select' (a preset)")
    if raw.get("pick") and raw.get("value") is None:
        raise StoryError(f"{path}: {where}: pick = {raw['pick']!r} needs 'value'")
    if ("run" in raw) != ("event" in raw):
        raise StoryError(f"{path}: {where}: give both 'run' and 'event'")


def opendata_dirs() -> list[Path]:
    """Where ``shared_opendata:`` paths are looked up ($COLLIDER_VIZ_OPENDATA first)."""
    root = Path(__file__).resolve().parents[2]
    env = os.environ.get("COLLIDER_VIZ_OPENDATA")
    cands = [Path(env)] if env else []
    return cands + [root.parent / "shared" / "opendata", root / "shared" / "opendata"]


def resolve_file(step: Step, story_path: Path) -> tuple[Path | None, str]:
    """The step's data file, or ``(None, note)`` when it is not on this machine."""
    text = step.file
    if text.startswith(OPENDATA_PREFIX):
        rel = text[len(OPENDATA_PREFIX):].lstrip("/")
        for base in opendata_dirs():
            if (base / rel).is_file():
                return base / rel, ""
        return None, f"open-data file {rel} is not available here (skipped)"
    path = Path(text).expanduser()
    cands = [path] if path.is_absolute() else [story_path.parent / path, SAMPLE_DIR / path]
    for cand in cands:
        if cand.is_file():
            return cand, ""
    return None, f"{text} not found (looked in {', '.join(str(c.parent) for c in cands)}; skipped)"
