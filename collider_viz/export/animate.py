"""Animations: a turntable around the detector and the collision replay.

Frames are rendered one at a time on the GUI/GL thread and streamed to an
imageio writer (GIF through Pillow, MP4 through the ffmpeg binary that
imageio-ffmpeg provides), so memory stays small for long videos. A
``progress(done, total)`` callback may return False to cancel.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from collider_viz.errors import ColliderVizError
from collider_viz.export.atomic import ExportError, atomic_path
from collider_viz.limits import MAX_FRAME_PIXELS, MAX_FRAMES, MAX_GIF_PIXELS, check, check_finite

ANIMATIONS = ("turntable", "replay")
FORMATS = (".gif", ".mp4")
Progress = Callable[[int, int], "bool | None"]


class ExportCancelled(ColliderVizError):
    """The user cancelled an export; nothing was written."""


def check_animation(kind: str, frames: int, fps: float, path: str | os.PathLike[str],
                    size: tuple[int, int] | None = None) -> None:
    """Validate animation options (and pixels × frames for ``size``) before rendering anything."""
    if kind not in ANIMATIONS:
        raise ColliderVizError(f"unknown animation {kind!r}; expected one of {', '.join(ANIMATIONS)}")
    if not 2 <= frames <= MAX_FRAMES:
        raise ColliderVizError(f"--frames must be between 2 and {MAX_FRAMES}, not {frames}")
    check_finite("--fps", fps)
    if size is not None:
        pixels = size[0] * size[1] * frames
        check("animation width x height x frames", pixels, MAX_FRAME_PIXELS, "pixels")
        if Path(path).suffix.lower() == ".gif" and pixels > MAX_GIF_PIXELS:
            check(f"{path}: GIF width x height x frames (write .mp4 for more)", pixels,
                  MAX_GIF_PIXELS, "pixels")
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
    if path.suffix.lower() == ".gif":
        return GifStream(path, fps)
    return Mp4Stream(path, fps)


class Mp4Stream:
    """An H.264 MP4 written by the ffmpeg binary of imageio-ffmpeg, frames piped as raw RGB.

    Unlike imageio's writer this checks ffmpeg's exit status: a full disk or
    a killed encoder is an error (:class:`OSError` from :meth:`close`), not a
    truncated file. Odd widths and heights lose their last column or row
    (yuv420p needs even sizes). CRF 10, as imageio's ``quality=8``.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float) -> None:
        self.path, self.fps = Path(path), fps
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def _start(self, width: int, height: int) -> subprocess.Popen[bytes]:
        import imageio_ffmpeg

        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo",
               "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{self.fps:g}", "-i", "-",
               "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "10",
               "-f", "mp4", str(self.path)]
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=self.log)

    def append_data(self, rgb: np.ndarray) -> None:
        """Pipe one RGB frame to ffmpeg."""
        h, w = (rgb.shape[0] // 2) * 2, (rgb.shape[1] // 2) * 2
        if self.proc is None:
            self.proc = self._start(w, h)
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(np.ascontiguousarray(rgb[:h, :w, :3]).tobytes())
        except BrokenPipeError:
            raise OSError(self._error() or "ffmpeg stopped") from None

    def close(self) -> None:
        """Finish the video; OSError when ffmpeg failed."""
        try:
            if self.proc is None:
                return
            if self.proc.stdin is not None and not self.proc.stdin.closed:
                try:
                    self.proc.stdin.close()
                except BrokenPipeError:
                    pass
            code = self.proc.wait()
            if code != 0:
                raise OSError(self._error() or f"ffmpeg exited with status {code}")
        finally:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.close()

    def _error(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""


class GifStream:
    """A looping GIF written frame by frame: each frame is quantised and written at once.

    Pillow's own multi-frame writer keeps every frame until the end (gigabytes
    for a long 4K animation); this keeps one. Each frame carries its own
    256-colour table (Pillow's :func:`~PIL.GifImagePlugin.getheader` and
    :func:`~PIL.GifImagePlugin.getdata`).
    """

    def __init__(self, path: str | os.PathLike[str], fps: float) -> None:
        self.fh = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.duration = 1000.0 / fps
        self.started = False

    def append_data(self, rgb: np.ndarray) -> None:
        """Quantise and write one RGB frame."""
        from PIL import GifImagePlugin, Image

        frame = Image.fromarray(np.ascontiguousarray(rgb[..., :3])).quantize(256)
        if not self.started:
            header, _ = GifImagePlugin.getheader(frame, info={"loop": 0,
                                                              "duration": self.duration})
            self.fh.write(b"".join(header))
            self.started = True
        parts = GifImagePlugin.getdata(frame, duration=self.duration, include_color_table=True)
        self.fh.write(b"".join(parts))

    def close(self) -> None:
        """Write the trailer and close the file."""
        try:
            if self.started and not self.fh.closed:
                self.fh.write(b";")
        finally:
            self.fh.close()


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
        except BaseException:
            _close_quietly(writer)
            raise
        try:
            writer.close()
        except (OSError, RuntimeError) as exc:  # ffmpeg failed: disk full, killed ...
            raise ExportError(f"{path}: the video could not be written "
                              f"({_first_line(exc)}); nothing was written") from None
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise ExportError(f"{path}: the encoder wrote nothing; nothing was written")
    return Path(path)


def _close_quietly(writer: Any) -> None:
    try:
        writer.close()
    except (OSError, RuntimeError):
        pass


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__


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
        except (OSError, RuntimeError) as exc:
            raise ExportError(f"cannot write animation frame {done + 1} "
                              f"({_first_line(exc)}); nothing was written") from None
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
