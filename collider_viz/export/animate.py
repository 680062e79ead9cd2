"""Animations: a turntable around the detector and the collision replay.

Frames are rendered one at a time on the GUI/GL thread and streamed to an
imageio writer (GIF through Pillow, MP4 through the ffmpeg binary that
imageio-ffmpeg provides), so memory stays small for long videos. A
``progress(done, total)`` callback may return False to cancel.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.export.atomic import ExportError, atomic_path

ANIMATIONS = ("turntable", "replay")
FORMATS = (".gif", ".mp4")
Progress = Callable[[int, int], "bool | None"]


class ExportCancelled(ColliderVizError):
    """The user cancelled an export; nothing was written."""


def check_animation(kind: str, frames: int, fps: float, path: str | os.PathLike[str]) -> None:
    """Validate animation options before rendering anything."""
    if kind not in ANIMATIONS:
        raise ColliderVizError(f"unknown animation {kind!r}; expected one of {', '.join(ANIMATIONS)}")
    if not 2 <= frames <= 10000:
        raise ColliderVizError(f"--frames must be between 2 and 10000, not {frames}")
    if not 0.5 <= fps <= 120:
        raise ColliderVizError(f"--fps must be between 0.5 and 120, not {fps}")
    if Path(path).suffix.lower() not in FORMATS:
        raise ColliderVizError(f"{path}: animations are written as .gif or .mp4")


def turntable_angles(frames: int, start: float = 0.0) -> np.ndarray:
    """Azimuths (degrees) of a full circle in ``frames`` steps, first = ``start``."""
    return start + 360.0 * np.arange(frames) / frames


def replay_fractions(frames: int) -> np.ndarray:
    """Replay fractions ``1/n … 1``: the last frame is the still picture."""
    return np.arange(1, frames + 1) / frames


def _open_writer(path: Path, fps: float) -> Any:
    import imageio.v2 as iio

    if path.suffix.lower() == ".gif":
        return iio.get_writer(path, format="GIF", mode="I", duration=1000.0 / fps, loop=0)
    return iio.get_writer(path, format="FFMPEG", fps=fps, codec="libx264", quality=8,
                          macro_block_size=2, pixelformat="yuv420p")


def _rgb(frame: np.ndarray, background: tuple[int, int, int]) -> np.ndarray:
    """Flatten RGBA onto ``background`` (GIF/MP4 frames have no alpha)."""
    if frame.shape[-1] == 3:
        return frame
    alpha = frame[..., 3:4].astype(np.float32) / 255.0
    bg = np.asarray(background, dtype=np.float32)
    return (frame[..., :3] * alpha + bg * (1.0 - alpha)).round().astype(np.uint8)


def write_animation(frames: Iterable[np.ndarray], path: str | os.PathLike[str], fps: float,
                    total: int, progress: Progress | None = None, force: bool = False,
                    background: tuple[int, int, int] = (0, 0, 0)) -> Path:
    """Stream ``frames`` (RGBA or RGB arrays) into a GIF or MP4 atomically.

    Parameters
    ----------
    frames : iterable of np.ndarray
        The frames, rendered lazily.
    path : str or path-like
        ``.gif`` or ``.mp4`` output file.
    fps : float
        Frames per second.
    total : int
        Number of frames (for progress).
    progress : callable, optional
        ``progress(done, total)``; returning False cancels.
    force : bool
        Replace an existing file.
    background : (int, int, int)
        Colour under transparent pixels.

    Raises
    ------
    ExportCancelled
        When ``progress`` returned False (no file is left).
    """
    with atomic_path(path, force) as tmp:
        writer = _open_writer(tmp, fps)
        try:
            _stream(writer, frames, total, progress, background)
        finally:
            writer.close()
    return Path(path)


def _distinct(frame: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Nudge one corner pixel of a frame identical to the previous one.

    Pillow merges identical consecutive GIF frames (adding their durations);
    the nudge keeps one GIF frame per rendered frame, as a reader expects.
    """
    if previous is None or not np.array_equal(frame, previous):
        return frame
    frame = frame.copy()
    frame[-1, -1, 0] = (int(frame[-1, -1, 0]) + 64) % 256
    return frame


def _stream(writer: Any, frames: Iterable[np.ndarray], total: int, progress: Progress | None,
            background: tuple[int, int, int]) -> None:
    done, previous = 0, None
    for frame in frames:
        rgb = _rgb(frame, background)
        previous = rgb = _distinct(rgb, previous)
        try:
            writer.append_data(rgb)
        except OSError as exc:
            raise ExportError(f"cannot write animation frame {done + 1}: {exc}") from None
        done += 1
        if progress is not None and progress(done, total) is False:
            raise ExportCancelled("export cancelled")


def count_frames(path: str | os.PathLike[str]) -> int:
    """Number of frames in a written GIF or MP4 (reads the file back)."""
    import imageio.v2 as iio

    reader = iio.get_reader(path)
    try:
        return sum(1 for _ in reader)
    finally:
        reader.close()


def frames_from(setters: Iterable[Callable[[], None]],
                render: Callable[[], np.ndarray]) -> Iterator[np.ndarray]:
    """Yield ``render()`` after applying each scene change in ``setters``."""
    for apply in setters:
        apply()
        yield render()
